#!/usr/bin/env bash
# Benchmark (not a test): the same client code (../shared/tools/virt-bench.py, libvirt-python) against
# jvirtd and against a real libvirtd 9.0 in the same run, then one table with both and their ratio.
#   jvirtd    the assembled distribution on test:///default (its test driver keeps every definition
#             on disk, written atomically with fsync)
#   libvirtd  ../shared/tools/peer-libvirtd.sh in its own namespaces, on qemu:///system (definitions
#             on disk) and, for a driver-for-driver view, on its in-memory test:///default
# Each daemon first gets one unmeasured warm-up pass of the same steps (JIT for jvirtd, caches and lazily
# loaded drivers for libvirtd), then ROUNDS (default 3) measured passes, interleaved so that load from
# elsewhere on the machine hits all of them alike; every cell is the median of its rounds.
# Usage: bench-vs-libvirtd.sh [DIST_DIR] [N_DOMAINS]   (root; DIST_DIR defaults to distribution/target/jvirtd)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dist=$(readlink -f "${1:-$here/../../target/jvirtd}")
n=${2:-1000}
rounds=${ROUNDS:-3}
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

run_bench() { # run_bench LABEL URI PIDFILE RESULTS
  echo "== virt-bench on $1 ($2)" >&2
  /usr/bin/python3 "$bench" "$2" --pidfile "$3" --n "$n" --skip-kvm --label "$1" --out "$4" \
    >/dev/null || echo "   (virt-bench reported errors for $1; see the table)" >&2
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$(cat "$1")/status"; }

"$dist/bin/jvirtd" -d --root "$work/jroot"
jpid=$(cat "$work/jroot/run/jvirtd.pid")
for _ in $(seq 1 300); do [ -S "$work/jroot/run/libvirt/libvirt-sock" ] && break; sleep 0.1; done
"$peer" start >&2
sleep 1
fresh="$(rss_kib "$work/jroot/run/jvirtd.pid") $(rss_kib "$PEER_DIR/libvirtd.pid")"

targets=(
  "jvirtd test+unix:///default?socket=$work/jroot/run/libvirt/libvirt-sock $work/jroot/run/jvirtd.pid"
  "libvirtd-qemu $("$peer" uri) $PEER_DIR/libvirtd.pid"
  "libvirtd-test $("$peer" test-uri) $PEER_DIR/libvirtd.pid"
)
for t in "${targets[@]}"; do
  read -r label uri pidfile <<<"$t"
  run_bench "$label (warm-up)" "$uri" "$pidfile" /dev/null
done
for round in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    read -r label uri pidfile <<<"$t"
    run_bench "$label" "$uri" "$pidfile" "$work/results.jsonl"
  done
done

/usr/bin/python3 - "$work/results.jsonl" "$n" "$rounds" $fresh <<'PY'
import json, statistics, sys
samples = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    samples.setdefault(r.get("label"), []).append(r)
n, rounds = sys.argv[2], sys.argv[3]
fresh = {"jvirtd": int(sys.argv[4]), "libvirtd-qemu": int(sys.argv[5]), "libvirtd-test": int(sys.argv[5])}

def get1(r, path):
    for key in path:
        if not isinstance(r, dict) or key not in r:
            return None
        r = r[key]
    return r

def get(label, path):
    if path == ("fresh",):
        return fresh[label]
    vals = [v for v in (get1(r, path) for r in samples.get(label, [])) if v is not None]
    return statistics.median(vals) if vals else None

rows = [
    ("getVersion", ("rpc_getversion", "ops_per_s"), "calls/s", True),
    ("getHostname", ("rpc_gethostname", "ops_per_s"), "calls/s", True),
    ("lookupByName", ("lookup_by_name", "ops_per_s"), "calls/s", True),
    ("open+close", ("connect_close", "median_ms"), "ms", False),
    ("defineXML x" + n, ("define", "total_s"), "s", False),
    ("listAllDomains (" + n + ")", ("list_all", "median_ms"), "ms", False),
    ("XMLDesc x" + n, ("xmldesc_all", "total_s"), "s", False),
    ("undefine x" + n, ("undefine", "total_s"), "s", False),
    ("8 threads, own conns", ("concurrent_rpc_getversion", "conn_per_thread", "ops_per_s"), "calls/s", True),
    ("8 threads, one conn", ("concurrent_rpc_getversion", "shared_conn", "ops_per_s"), "calls/s", True),
    ("RSS fresh daemon", ("fresh",), "KiB", False),
    ("RSS idle", ("rss_kib", "idle"), "KiB", False),
    ("RSS after define", ("rss_kib", "after_define"), "KiB", False),
    ("RSS after undefine", ("rss_kib", "after_undefine"), "KiB", False),
]
labels = ["jvirtd", "libvirtd-qemu", "libvirtd-test"]
head = "%-24s %-8s" % ("operation", "unit") + "".join("%16s" % l for l in labels) + "%14s%14s" % ("vs qemu", "vs test")
print(head)
print("-" * len(head))
for name, path, unit, higher_better in rows:
    vals = [get(l, path) for l in labels]
    cells = "".join("%16s" % ("-" if v is None else v) for v in vals)
    ratios = ""
    for other in vals[1:]:
        j = vals[0]
        if j and other:
            ratio = j / other if higher_better else other / j
            ratios += "%13.2fx" % ratio
        else:
            ratios += "%14s" % "-"
    print("%-24s %-8s%s%s" % (name, unit, cells, ratios))
print("\nmedians of %s rounds after one warm-up pass each; ratio > 1: jvirtd is better (faster or smaller)."
      % rounds)
print("RSS fresh: right after start; RSS idle and later: as virt-bench reads them in a measured round.")
for l in labels:
    for r in samples.get(l, []):
        if r.get("errors"):
            print("%s errors: %s" % (l, r["errors"]))
PY
