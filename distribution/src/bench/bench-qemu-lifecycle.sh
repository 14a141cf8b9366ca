#!/usr/bin/env bash
# Benchmark (not a test): QEMU start (DOMAIN_CREATE until the state is running) and destroy latency,
# jvirtd against a real libvirtd 9.0 (../shared/tools/peer-libvirtd.sh) in the same run, both measured
# by ../shared/tools/virt-bench.py's start/destroy step on qemu:///system with TCG guests (type 'qemu').
# Usage: bench-qemu-lifecycle.sh [DIST_DIR] [GUESTS]   (root; DIST_DIR defaults to distribution/target/jvirtd)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dist=$(readlink -f "${1:-$here/../../target/jvirtd}")
guests=${2:-10}
shared=$(readlink -f "$here/../../../../shared")
bench=$shared/tools/virt-bench.py
peer=$shared/tools/peer-libvirtd.sh
work=$(mktemp -d /tmp/jvirtd-qbench.XXXXXX)
export PEER_DIR=$work/peer
jpid=
cleanup() {
  [ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null || true
  "$peer" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run_bench() { # run_bench LABEL URI PIDFILE: only a token amount of the generic steps, then the QEMU step
  echo "== virt-bench on $1 ($2)" >&2
  /usr/bin/python3 "$bench" "$2" --pidfile "$3" --n 5 --connects 2 --rpc-calls 10 --lookups 10 --threads 1 \
    --conc-calls 10 --list-reps 1 --kvm-n "$guests" --kvm-type qemu --label "$1" --out "$work/results.jsonl" \
    >/dev/null || echo "   (virt-bench reported errors for $1)" >&2
}

"$dist/bin/jvirtd" -d --root "$work/jroot"
jpid=$(cat "$work/jroot/run/jvirtd.pid")
"$peer" start >&2

run_bench jvirtd "qemu+unix:///system?socket=$work/jroot/run/libvirt/libvirt-sock" "$work/jroot/run/jvirtd.pid"
run_bench libvirtd "$("$peer" uri)" "$PEER_DIR/libvirtd.pid"

/usr/bin/python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows[r["label"]] = r.get("kvm_start_destroy") or {}
j, l = rows.get("jvirtd", {}), rows.get("libvirtd", {})
print("| operation (TCG guest, median of %s) | jvirtd ms | libvirtd ms | jvirtd/libvirtd | goal |" % j.get("n"))
print("|---|---|---|---|---|")
for key, name, goal in (("to_running_ms_median", "create -> running", "<= 0.7x"),
                        ("destroy_ms_median", "destroy", "<= 0.25x")):
    a, b = j.get(key), l.get(key)
    ratio = "%.2fx" % (a / b) if a and b else "-"
    print("| %s | %s | %s | %s | %s |" % (name, a, b, ratio, goal))
PY
