#!/usr/bin/env bash
# Updating the host object bundles (secret, nodedev, interface, nwfilter, net-core with its network ports)
# while a libvirt-python connection stays open keeps every object and the nwfilter rules in place
# (host-objects-update.py). The daemon runs from a private copy of the distribution (its load/ folder is
# written), with jvirtd.conf's network_namespace a namespace of the test's own holding the TAP vnet0 the
# filter binding applies to and the isolated network's bridge. Root. Usage: host-objects-update.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
need_programs HOSTOBJ ip nft ebtables /usr/bin/python3 || exit 0
prerequisite HOSTOBJ "root" [ "$(id -u)" = 0 ] || exit 0
prerequisite HOSTOBJ "python3-libvirt" /usr/bin/python3 -c 'import libvirt' || exit 0
work=$(mktemp -d /tmp/jvirtd-hostobj.XXXXXX)
root=$work/root
netns=jvhostobj-$$
pidfile=$root/run/jvirtd.pid
cleanup() {
  if [ -s "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  ip netns del "$netns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -a "$dist" "$work/dist"
ip netns add "$netns"
ip netns exec "$netns" ip tuntap add dev vnet0 mode tap
printf 'network_namespace = "%s"\n' "$netns" > "$work/jvirtd.conf"
"$work/dist/bin/jvirtd" -d --root "$root" -f "$work/jvirtd.conf" || { echo "HOSTOBJ FAIL: jvirtd -d" >&2; exit 1; }
/usr/bin/python3 "$(dirname "$0")/host-objects-update.py" "$work/dist" "$root" "$work" "$netns"
