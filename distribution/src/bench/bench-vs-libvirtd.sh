#!/usr/bin/env bash
# Benchmark (not a test): the same client code (../shared/tools/virt-bench.py, libvirt-python) against
# jvirtd and against a real libvirtd 9.0 in the same run, driver for driver, then one table with the four
# columns and two ratios:
#   qemu   jvirtd's QEMU driver vs libvirtd's QEMU driver, both on qemu:///system: definitions on disk
#          (jvirtd: a journal record synced with fdatasync; libvirtd: the XML file rewritten with fsync)
#   test   jvirtd's test driver vs libvirtd's test driver, both on test:///default (jvirtd's keeps every
#          definition on disk like its QEMU driver; libvirtd's keeps them in memory only)
# Each target first gets one unmeasured warm-up pass of the same steps (JIT for jvirtd, caches and lazily
# loaded drivers for libvirtd), then ROUNDS (default 3) measured passes, interleaved so that load from
# elsewhere on the machine hits all of them alike; every cell is the median of its rounds.
# Last, count-define-syncs.py counts with strace the fsync/fdatasync calls each daemon makes during
# SYNC_N (default 200) defines on each driver: that row tells a durable define from one that is not.
# First, measure-start.py restarts both daemons START_RUNS (default 5) times in turn: start to the first
# answered call, the daemon's CPU time until then, and its RSS 2 s later. After the rounds, the QEMU drivers
# alone get one more pass at SCALE_N (default 10000, 0 skips it) domains each, printed as a second table.
# Usage: bench-vs-libvirtd.sh [DIST_DIR] [N_DOMAINS]   (root; DIST_DIR defaults to distribution/target/jvirtd)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dist=$(readlink -f "${1:-$here/../../target/jvirtd}")
n=${2:-1000}
rounds=${ROUNDS:-3}
sync_n=${SYNC_N:-200}
start_runs=${START_RUNS:-5}
scale_n=${SCALE_N:-10000}
shared=$(readlink -f "$here/../../../../shared")
bench=$shared/tools/virt-bench.py
peer=$shared/tools/peer-libvirtd.sh
work=$(mktemp -d /tmp/jvirtd-bench.XXXXXX)
export PEER_DIR=$work/peer
jpid=
cleanup() {
  [ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null || true
  "$peer" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run_bench() { # run_bench LABEL URI PIDFILE RESULTS [N]
  echo "== virt-bench on $1 ($2)" >&2
  /usr/bin/python3 "$bench" "$2" --pidfile "$3" --n "${5:-$n}" --skip-kvm --label "$1" --out "$4" \
    >/dev/null || echo "   (virt-bench reported errors for $1; see the table)" >&2
}

jsock=$work/jroot/run/libvirt/libvirt-sock
# Start to first answered call and idle RSS: both daemons restarted START_RUNS times in turn (jvirtd's
# first start fills its bundle cache, and runs 25 s more to write its class-data archive, which the later
# ones map); both are left running for the rest.
jstop="p=\$(cat $work/jroot/run/jvirtd.pid 2>/dev/null) && kill -TERM \$p && while kill -0 \$p 2>/dev/null; do sleep 0.02; done"
/usr/bin/python3 "$here/measure-start.py" "$start_runs" "$work/start.jsonl" \
  "jvirtd|$dist/bin/jvirtd -d --root $work/jroot|$jstop|$jsock|qemu+unix:///system?socket=$jsock|$work/jroot/run/jvirtd.pid|25" \
  "libvirtd|$peer start|$peer stop|$PEER_DIR/run/libvirt-sock|$("$peer" uri)|$PEER_DIR/libvirtd.pid"
jpid=$(cat "$work/jroot/run/jvirtd.pid")

targets=(
  "jvirtd-qemu qemu+unix:///system?socket=$jsock $work/jroot/run/jvirtd.pid kvm"
  "libvirtd-qemu $("$peer" uri) $PEER_DIR/libvirtd.pid kvm"
  "jvirtd-test test+unix:///default?socket=$jsock $work/jroot/run/jvirtd.pid test"
  "libvirtd-test $("$peer" test-uri) $PEER_DIR/libvirtd.pid test"
)
for t in "${targets[@]}"; do
  read -r label uri pidfile _ <<<"$t"
  run_bench "$label (warm-up)" "$uri" "$pidfile" /dev/null
done
for round in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    read -r label uri pidfile _ <<<"$t"
    run_bench "$label" "$uri" "$pidfile" "$work/results.jsonl"
  done
done

touch "$work/scale.jsonl"
if [ "$scale_n" -gt 0 ]; then
  for t in "${targets[@]:0:2}"; do
    read -r label uri pidfile _ <<<"$t"
    run_bench "$label" "$uri" "$pidfile" "$work/scale.jsonl" "$scale_n"
  done
fi

for t in "${targets[@]}"; do
  read -r label uri pidfile vtype <<<"$t"
  echo "== syncs during $sync_n defines on $label" >&2
  printf '%s %s\n' "$label" "$(/usr/bin/python3 "$here/count-define-syncs.py" "$uri" "$(cat "$pidfile")" "$sync_n" "$vtype")" \
    >>"$work/syncs.txt"
done

/usr/bin/python3 - "$work/results.jsonl" "$n" "$rounds" "$work/syncs.txt" "$work/start.jsonl" "$work/scale.jsonl" \
  "$scale_n" <<'PY'
import json, statistics, sys

def read_samples(path):
    found = {}
    for line in open(path):
        r = json.loads(line)
        found.setdefault(r.get("label"), []).append(r)
    return found

samples = read_samples(sys.argv[1])
scale_samples, scale_n = read_samples(sys.argv[6]), sys.argv[7]
n, rounds = sys.argv[2], sys.argv[3]
syncs = {}
for line in open(sys.argv[4]):
    label, result = line.split(" ", 1)
    syncs[label] = json.loads(result)
starts = {}
for line in open(sys.argv[5]):
    r = json.loads(line)
    starts.setdefault(r["label"], []).append(r)
daemon = {"jvirtd-qemu": "jvirtd", "jvirtd-test": "jvirtd", "libvirtd-qemu": "libvirtd", "libvirtd-test": "libvirtd"}

def get1(r, path):
    for key in path:
        if not isinstance(r, dict) or key not in r:
            return None
        r = r[key]
    return r

def get(label, path, source=None):
    if path[0] == "start":
        got = starts.get(daemon[label], [])
        if path[1] == "first_rpc_ms_cold":
            return got[0]["first_rpc_ms"] if got else None
        return statistics.median(r[path[1]] for r in got) if got else None
    if path[0] == "syncs":
        return syncs.get(label, {}).get(path[1])
    vals = [v for v in (get1(r, path) for r in (source or samples).get(label, [])) if v is not None]
    return statistics.median(vals) if vals else None

def domain_rows(count):
    return [
        ("getVersion", ("rpc_getversion", "ops_per_s"), "calls/s", True),
        ("getHostname", ("rpc_gethostname", "ops_per_s"), "calls/s", True),
        ("lookupByName", ("lookup_by_name", "ops_per_s"), "calls/s", True),
        ("open+close", ("connect_close", "median_ms"), "ms", False),
        ("defineXML x" + count, ("define", "total_s"), "s", False),
        ("listAllDomains (" + count + ")", ("list_all", "median_ms"), "ms", False),
        ("XMLDesc x" + count, ("xmldesc_all", "total_s"), "s", False),
        ("undefine x" + count, ("undefine", "total_s"), "s", False),
        ("8 threads, own conns", ("concurrent_rpc_getversion", "conn_per_thread", "ops_per_s"), "calls/s", True),
        ("8 threads, one conn", ("concurrent_rpc_getversion", "shared_conn", "ops_per_s"), "calls/s", True),
    ]

rows = domain_rows(n) + [
    ("start -> first call", ("start", "first_rpc_ms"), "ms", False),
    ("  first start (cold)", ("start", "first_rpc_ms_cold"), "ms", False),
    ("  daemon CPU until then", ("start", "cpu_ms"), "ms", False),
    ("RSS 2 s after start", ("start", "idle_rss_kib"), "KiB", False),
    ("RSS idle", ("rss_kib", "idle"), "KiB", False),
    ("RSS after define", ("rss_kib", "after_define"), "KiB", False),
    ("RSS after undefine", ("rss_kib", "after_undefine"), "KiB", False),
    ("fsync per define", ("syncs", "fsync_per_define"), "calls", None),
    ("fdatasync per define", ("syncs", "fdatasync_per_define"), "calls", None),
]
for s in syncs.values():
    s["fsync_per_define"] = round(s["fsync"] / s["defines"], 2)
    s["fdatasync_per_define"] = round(s["fdatasync"] / s["defines"], 2)

def table(pairs, rows, source=None):
    head = "%-24s %-8s" % ("operation", "unit")
    for j, l in pairs:
        head += "%14s%14s%9s" % (j, l, "ratio")
    print(head)
    print("-" * len(head))
    for name, path, unit, higher_better in rows:
        line = "%-24s %-8s" % (name, unit)
        for j, l in pairs:
            jv, lv = get(j, path, source), get(l, path, source)
            ratio = "-"
            if higher_better is not None and jv and lv:
                ratio = "%.2fx" % (jv / lv if higher_better else lv / jv)
            line += "%14s%14s%9s" % ("-" if jv is None else jv, "-" if lv is None else lv, ratio)
        print(line)

pairs = [("jvirtd-qemu", "libvirtd-qemu"), ("jvirtd-test", "libvirtd-test")]
table(pairs, rows)
print("\nmedians of %s rounds after one warm-up pass each; ratio > 1: jvirtd is better (faster or smaller)."
      % rounds)
print("start: median of %d starts (measure-start.py: launch to the first answered getVersion; one process per"
      % len(starts.get("jvirtd", [])))
print("daemon serves both of its drivers), the cold one is jvirtd's first, which fills its bundle cache; the")
print("daemon's CPU time until that call, its RSS 2 s later. RSS idle and later: as virt-bench reads them.")
print("Syncs: strace -f -c on the daemon during %s defines." % next(iter(syncs.values()), {}).get("defines", "-"))
if scale_samples:
    print("\nAt %s domains, QEMU drivers only, one pass each (after the rounds above):\n" % scale_n)
    table(pairs[:1], domain_rows(scale_n) + [
        ("RSS after define", ("rss_kib", "after_define"), "KiB", False),
        ("RSS after undefine", ("rss_kib", "after_undefine"), "KiB", False)], scale_samples)
for source in (samples, scale_samples):
    for l in [x for p in pairs for x in p]:
        for r in source.get(l, []):
            if r.get("errors"):
                print("%s errors: %s" % (l, r["errors"]))
PY
