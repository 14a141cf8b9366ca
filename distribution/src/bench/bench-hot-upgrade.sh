#!/usr/bin/env bash
# Benchmark (not a test): hot upgrade of every bundle kind under load. Starts the assembled daemon from a
# private copy of DIST_DIR (its load/ folder is the installation's, so the copy keeps the real one clean),
# runs one TCG guest (no disk, no network), defines an inactive NAT network and a dir pool, runs
# hot-upgrade-load.py's 8 clients plus an event listener, and
# updates each bundle kind N times from a new jar through load/ and through `jvirtd-shell -c 'update ID URL'`.
# Prints a table per bundle kind and way. No network is started (bridges, dnsmasq and firewall rules are
# not touched: the net bundles are updated without a running network).
# Usage: bench-hot-upgrade.sh [DIST_DIR] [N] [BUNDLE...]   (root for qemu:///system; N defaults to 10)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dist=$(readlink -f "${1:-$here/../../target/jvirtd}")
n=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
kinds=("$@")
if [ ${#kinds[@]} = 0 ]; then
  kinds=(jvirtd-driver-qemu jvirtd-driver-test jvirtd-net-core jvirtd-net-nat jvirtd-net-dnsmasq
         jvirtd-net-firewall jvirtd-storage-core jvirtd-storage-dir jvirtd-shell jvirtd-rpc jvirtd-core)
fi
work=$(mktemp -d /tmp/jvirtd-hotbench.XXXXXX)
root=$work/root
jpid=
cleanup() {
  if [ -n "$jpid" ] && kill -TERM "$jpid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.1; done
  fi
  # the guest's QEMU outlives the daemon by design; end it by its own pid file
  for p in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

cp -a "$dist" "$work/dist"
# a fresh instance writes its class-data archive 20 s after its start (a pause of about a second): not
# during the updates measured here
export JVIRTD_CDS=${JVIRTD_CDS:-0}
for k in "${kinds[@]}"; do
  [ -f "$work/dist/bundle/$k.jar" ] || { echo "no bundle/$k.jar in $dist" >&2; exit 2; }
done
"$work/dist/bin/jvirtd" -d --root "$root"
jpid=$(cat "$root/run/jvirtd.pid")
/usr/bin/python3 "$here/hot-upgrade-load.py" "$work/dist" "$root" "$n" "${kinds[@]}"
