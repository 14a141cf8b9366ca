#!/usr/bin/env bash
# Node devices and host interfaces of this host as the assembled daemon lists and describes them, against
# libvirtd 9.0 when it can run here (../shared/tools/peer-libvirtd.sh and /usr/sbin/libvirtd), else against this host's sysfs.
# With the peer: virsh nodedev-list (plain, --tree, --all, --inactive, --cap of every type libvirt knows),
# nodedev-dumpxml and nodedev-info of every device the peer lists, and the errors for an unknown device and
# capability, must print the same on both; so must iface-list (plain, --all, --inactive), iface-dumpxml
# (and --inactive), iface-mac of every interface and iface-name of every MAC, known or not. jvirtd runs in the peer's network namespace, so that both read
# offload features (ethtool ioctls) in the same namespace; a host ifb/dummy interface gets a twin of the same
# name and kind in there, so that its features are read and compared too. Without the peer: every PCI function
# of /sys/bus/pci/devices and every interface of /sys/class/net is listed under libvirt's name, with its
# vendor/product ids, MAC and parent, and the tree holds every device once. Root.
# Usage: host-devices-peer.sh DIST_DIR SHARED_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
shared=$(readlink -f "$2")
need_programs NODEDEV virsh ip nsenter || exit 0
prerequisite NODEDEV "root" [ "$(id -u)" = 0 ] || exit 0
work=$(mktemp -d /tmp/jvirtd-nodedev.XXXXXX)
root=$work/root
pidfile=$root/run/jvirtd.pid
peer_tool=$shared/tools/peer-libvirtd.sh
peer=
cleanup() {
  if [ -s "$pidfile" ]; then kill -TERM "$(cat "$pidfile")" 2>/dev/null || true; fi
  if [ -n "$peer" ]; then PEER_DIR=$work/peer bash "$peer_tool" stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0 compared=0
fail() { echo "NODEDEV FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "NODEDEV PASS: $*"; }
jsock=$root/run/libvirt/libvirt-sock
J="qemu+unix:///system?socket=$jsock"
jv() { virsh -c "$J" "$@" 2>&1; }
wait_socket() {
  for _ in $(seq 1 600); do [ -S "$jsock" ] && virsh -c "$J" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "NODEDEV FAIL: jvirtd did not answer on $jsock" >&2; exit 1
}

caps="system pci usb_device usb net scsi_host scsi_target scsi storage fc_host vports scsi_generic drm
  mdev_types mdev ccw css vdpa ap_card ap_queue ap_matrix vpd"

if [ -x /usr/sbin/libvirtd ] && [ -f "$peer_tool" ]; then
  peer=started
  PEER_DIR=$work/peer bash "$peer_tool" start >/dev/null || { echo "NODEDEV FAIL: peer libvirtd" >&2; exit 1; }
  ppid=$(PEER_DIR=$work/peer bash "$peer_tool" pid)
  P=$(PEER_DIR=$work/peer bash "$peer_tool" uri)
  twins=()
  for dev in /sys/class/net/*; do
    name=${dev##*/}
    kind=$(ip -d -o link show dev "$name" 2>/dev/null | grep -oE '\b(ifb|dummy)\b' | head -n1 || true)
    if [ -n "$kind" ] && nsenter -t "$ppid" -n ip link add "$name" type "$kind" 2>/dev/null; then
      twins+=("$name")
    fi
  done
  nsenter -t "$ppid" -n "$dist/bin/jvirtd" -d --root "$root"
  wait_socket
  pv() { virsh -c "$P" "$@" 2>&1; }
  same() { # same LABEL VIRSH-ARGS...: both daemons print the same
    local label=$1; shift
    compared=$((compared + 1))
    if diff <(pv "$@") <(jv "$@") > "$work/diff"; then return 0; fi
    fail "$label differs (< libvirtd, > jvirtd):"$'\n'"$(cat "$work/diff")"
    return 1
  }
  before=$failures
  for opts in "" "--tree" "--all" "--inactive" "--all --tree"; do
    # shellcheck disable=SC2086
    same "nodedev-list $opts" nodedev-list $opts || true
  done
  for cap in $caps bogus pci,net; do same "nodedev-list --cap $cap" nodedev-list --cap "$cap" || true; done
  [ "$failures" = "$before" ] && pass "nodedev-list plain, --tree, --all, --inactive and --cap of every type are libvirtd's"
  before=$failures
  devices=$(pv nodedev-list)
  [ -n "$devices" ] || fail "libvirtd lists no node device"
  n=0
  for d in $devices; do
    same "nodedev-dumpxml $d" nodedev-dumpxml "$d" || true
    same "nodedev-info $d" nodedev-info "$d" || true
    n=$((n + 1))
  done
  same "nodedev-dumpxml of an unknown device" nodedev-dumpxml nosuchdevice || true
  same "nodedev-info of an unknown device" nodedev-info nosuchdevice || true
  [ "$failures" = "$before" ] && pass "nodedev-dumpxml and nodedev-info of all $n devices libvirtd lists are libvirtd's (features read for: ${twins[*]:-lo only})"
  before=$failures
  for opts in "" "--all" "--inactive"; do
    # shellcheck disable=SC2086
    same "iface-list $opts" iface-list $opts || true
  done
  n=0
  for dev in /sys/class/net/* nosuch0; do
    iface=${dev##*/}
    same "iface-dumpxml $iface" iface-dumpxml "$iface" || true
    same "iface-dumpxml --inactive $iface" iface-dumpxml --inactive "$iface" || true
    same "iface-mac $iface" iface-mac "$iface" || true
    if [ -e "$dev/address" ]; then same "iface-name of $iface's MAC" iface-name "$(cat "$dev/address")" || true; fi
    n=$((n + 1))
  done
  same "iface-name of an unknown MAC" iface-name 52:54:00:00:00:99 || true
  [ "$failures" = "$before" ] && pass "iface-list, iface-dumpxml, iface-mac and iface-name of the $((n - 1)) host interfaces (and unknown ones) are libvirtd's"
else
  echo "NODEDEV: no libvirtd 9.0 peer here (/usr/sbin/libvirtd, $peer_tool); checking against sysfs"
  "$dist/bin/jvirtd" -d --root "$root"
  wait_socket
  before=$failures
  listed=$(jv nodedev-list)
  grep -qx computer <<<"$listed" || fail "no computer device"
  pci=0
  for dev in /sys/bus/pci/devices/*; do
    [ -e "$dev" ] || continue
    addr=${dev##*/}
    name=pci_$(tr ':.' '__' <<<"$addr")
    pci=$((pci + 1))
    grep -qx "$name" <<<"$listed" || { fail "$name ($dev) is not listed"; continue; }
    xml=$(jv nodedev-dumpxml "$name")
    vendor=$(cat "$dev/vendor") product=$(cat "$dev/device")
    grep -q "<product id='$product'" <<<"$xml" && grep -q "<vendor id='$vendor'" <<<"$xml" \
      || fail "$name: not vendor $vendor product $product: $xml"
    grep -q "<path>$(readlink -f "$dev")</path>" <<<"$xml" || fail "$name: path: $xml"
  done
  [ "$(jv nodedev-list --cap pci | grep -c .)" = "$pci" ] || fail "--cap pci does not list the $pci PCI functions"
  for dev in /sys/class/net/*; do
    iface=${dev##*/}
    grep -q 'DEVTYPE=' "$dev/uevent" 2>/dev/null && continue
    name=$(tr -c 'A-Za-z0-9\n' '_' <<<"net_${iface}_$(cat "$dev/address")")
    grep -qx "$name" <<<"$listed" || { fail "$name ($dev) is not listed"; continue; }
    xml=$(jv nodedev-dumpxml "$name")
    grep -q "<interface>$iface</interface>" <<<"$xml" || fail "$name: interface: $xml"
  done
  tree=$(jv nodedev-list --tree)
  for d in $listed; do
    [ "$(grep -cE "(^|[ -])$d\$" <<<"$tree")" = 1 ] || fail "$d is not once in the tree"
  done
  compared=$((pci + $(grep -c . <<<"$listed")))
  [ "$failures" = "$before" ] && pass "every PCI function ($pci) and interface of sysfs is listed with its ids, path and interface; the tree holds each device once"
fi
[ "$failures" = 0 ] || { echo "NODEDEV FAIL: $failures differences (after $compared comparisons)" >&2; exit 1; }
pass "node devices and host interfaces: $compared comparisons"
