#!/usr/bin/env bash
# Soak (benchmark, not a test): the assembled daemon under 50 libvirt clients (python3-libvirt) doing mixed calls
# (list, lookups, dumpxml, info, define/undefine, autostart flips, reconnects, domain events) while TCG guests are
# started and destroyed, for a bounded time. Every 30 s: the daemon's thread count, open fds, RSS and heap after
# a full GC (jcmd GC.run + GC.heap_info), calls and errors since the last sample and the host's load. Prints the
# table and whether each figure stayed flat; the table also goes to soak-TIMESTAMP.tsv in the current directory.
# Usage: soak.sh [DURATION_SECONDS] [DIST_DIR]   (root; default 1800 s, DIST_DIR distribution/target/jvirtd)
# Knobs: SOAK_CLIENTS (50), SOAK_GUESTS (2), SOAK_SAMPLE (30 s).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
duration=${1:-1800}
dist=$(readlink -f "${2:-$here/../../target/jvirtd}")
work=$(mktemp -d /tmp/jvirtd-soak.XXXXXX)
root=$work/root
out=$PWD/soak-$(date -u +%Y%m%dT%H%M%SZ).tsv
jpid=
cleanup() {
  [ -z "$jpid" ] || kill -TERM "$jpid" 2>/dev/null || true
  for _ in $(seq 100); do [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null || break; sleep 0.2; done
  # guests outlive the daemon by design; a run cut short leaves its guests running
  for pidfile in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "soak.sh: run as root (qemu:///system guests)" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "soak.sh: jcmd (the JDK's) is needed for heap-after-GC" >&2; exit 1; }
"$dist/bin/jvirtd" -d --root "$root"
jpid=$(cat "$root/run/jvirtd.pid")
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
for _ in $(seq 300); do virsh -q -c "$uri" version >/dev/null 2>&1 && break; sleep 0.2; done
echo "soak: jvirtd pid $jpid, ${duration} s, ${SOAK_CLIENTS:-50} clients, ${SOAK_GUESTS:-2} TCG guests," \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the start" >&2
/usr/bin/python3 "$here/soak-load.py" "$uri" "$jpid" "$duration" "${SOAK_SAMPLE:-30}" "${SOAK_CLIENTS:-50}" \
  "${SOAK_GUESTS:-2}" "$out"
echo "soak: table in $out" >&2
