#!/usr/bin/env bash
# Domain snapshots end to end through the real virsh on qemu:///system, with the shared fixtures' tiny guest under
# TCG whose disk is a qcow2 overlay: snapshot-create-as (shut off, running with memory, --disk-only), snapshot-list
# (--tree, --parent, --roots, --leaves, --name), snapshot-info, -dumpxml, -parent, -current, -edit, snapshot-revert
# (to running, paused and shut-off snapshots, libvirt's --force rule), snapshot-delete (--metadata, --children),
# external snapshots with memory (--memspec) and their delete (the overlay merged down), --quiesce's refusals,
# the metadata across a daemon restart, undefine's snapshot rule; the expected texts are libvirtd 9.0's.
# Usage: snapshot-virsh.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64, qemu-img and virsh.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs QEMU qemu-system-x86_64 qemu-img virsh || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-snap.XXXXXX)
dist=$(readlink -f "$1")
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
console=$work/console.log
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "SNAPSHOT FAIL: $*" >&2
  tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "SNAPSHOT PASS: $*"; }
v() { timeout 120 virsh -c "$uri" "$@" 2>&1; }
same() { # same NAME ACTUAL EXPECTED
  [ "$2" = "$3" ] || { printf 'got:\n%s\nexpected:\n%s\n' "$2" "$3" >&2; fail "$1"; }
  pass "$1"
}
has() { # has NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
await_marker() {
  local deadline=$((SECONDS + 180))
  until grep -q GUEST-READY "$console" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "the guest did not boot"
    sleep 0.2
  done
}
start_daemon() { "$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"; }
stop_daemon() {
  local pid deadline=$((SECONDS + 30))
  pid=$(cat "$root/run/jvirtd.pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "the daemon did not exit"
    sleep 0.1
  done
}

qemu-img create -q -f qcow2 "$work/base.qcow2" 64M
qemu-img create -q -f qcow2 -F qcow2 -b "$work/base.qcow2" "$work/disk.qcow2"
cat >"$work/g1.xml" <<XML
<domain type='qemu'>
  <name>g1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>$guest/vmlinuz</kernel><initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline></os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$work/disk.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <serial type='file'><source path='$console'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
printf '#!/bin/sh\nsed -i "s#off one#edited#" "$1"\n' >"$work/editor.sh"
chmod +x "$work/editor.sh"

start_daemon
v define "$work/g1.xml" >/dev/null || fail "define"
same "create of a shut-off guest" "$(v snapshot-create-as g1 s-off --description 'off one')" "Domain snapshot s-off created"
has "qemu-img sees the internal snapshot" "$(qemu-img snapshot -l "$work/disk.qcow2")" " s-off "
same "unknown snapshot" "$(v snapshot-info g1 x)" \
  "error: Domain snapshot not found: no domain snapshot with matching name 'x'"
same "edit" "$(EDITOR=$work/editor.sh v snapshot-edit g1 s-off)" "Snapshot s-off edited."
has "edited description" "$(v snapshot-dumpxml g1 s-off)" "<description>edited</description>"

v start g1 >/dev/null || fail "start"
await_marker
same "create of a running guest" "$(v snapshot-create-as g1 s-run)" "Domain snapshot s-run created"
xml=$(v snapshot-dumpxml g1 s-run)
has "running snapshot state" "$xml" "<state>running</state>"
has "running snapshot memory" "$xml" "<memory snapshot='internal'/>"
has "running snapshot parent" "$xml" "<name>s-off</name>"
has "running snapshot keeps the persistent definition" "$xml" "<inactiveDomain type='qemu'>"
same "tree" "$(v snapshot-list g1 --tree)" "$(printf 's-off\n  |\n  +- s-run\n    \n')"
same "roots" "$(v snapshot-list g1 --roots --name)" "s-off"
same "leaves" "$(v snapshot-list g1 --leaves --name)" "s-run"
same "parent" "$(v snapshot-parent g1 s-run)" "s-off"
same "root has no parent" "$(v snapshot-parent g1 s-off)" "error: snapshot 's-off' has no parent"
same "current" "$(v snapshot-current g1 --name)" "s-run"
has "info" "$(v snapshot-info g1 s-run)" "Location: +internal"

same "revert to the running snapshot" "$(v snapshot-revert g1 s-run)" "Domain snapshot s-run reverted"
same "running from snapshot" "$(v domstate g1 --reason)" "running (from snapshot)"
same "revert to the shut-off snapshot" "$(v snapshot-revert g1 s-off)" "Domain snapshot s-off reverted"
same "shut off from snapshot" "$(v domstate g1 --reason)" "shut off (from snapshot)"
same "revert to the running snapshot, paused" "$(v snapshot-revert g1 s-run --paused)" "Domain snapshot s-run reverted"
same "paused from snapshot" "$(v domstate g1 --reason)" "paused (from snapshot)"
same "a running guest needs --force to start an inactive snapshot" "$(v snapshot-revert g1 s-off --running)" \
  "$(printf 'error: Failed to revert snapshot s-off\nerror: revert requires force: must respawn qemu to start inactive snapshot')"
same "with --force it does" "$(v snapshot-revert g1 s-off --running --force)" "Domain snapshot s-off reverted"
same "running again" "$(v domstate g1 --reason)" "running (from snapshot)"

same "disk-only snapshot" "$(v snapshot-create-as g1 s-ext --disk-only)" "Domain snapshot s-ext created"
[ -f "$work/disk.s-ext" ] || fail "no overlay disk.s-ext"
has "the overlay is on the disk" "$(qemu-img info -U "$work/disk.s-ext")" "backing file: $work/disk.qcow2"
has "the live XML shows the overlay" "$(v dumpxml g1)" "<source file='$work/disk.s-ext'/>"
has "external location" "$(v snapshot-info g1 s-ext)" "Location: +external"
same "external list" "$(v snapshot-list g1 --external --name)" "s-ext"
same "an external snapshot is not reverted" "$(v snapshot-revert g1 s-ext)" \
  "$(printf 'error: Failed to revert snapshot s-ext\nerror: unsupported configuration: revert to external snapshot not supported yet')"
same "existing name" "$(v snapshot-create-as g1 s-ext --disk-only)" \
  "error: operation failed: domain moment s-ext already exists"

stop_daemon
start_daemon
same "metadata after a daemon restart" "$(v snapshot-list g1 --name)" "$(printf 's-ext\ns-off\ns-run')"
same "current after a daemon restart" "$(v snapshot-current g1 --name)" "s-ext"
same "topological order" "$(v snapshot-list g1 --topological --name)" "$(printf 's-off\ns-run\ns-ext')"

same "delete the metadata of an external snapshot" "$(v snapshot-delete g1 s-ext --metadata)" "Domain snapshot s-ext deleted"
same "current moves to the parent" "$(v snapshot-current g1 --name)" "s-off"

same "external snapshot with memory" "$(v snapshot-create-as g1 s-mem --memspec "file=$work/s-mem.save,snapshot=external" \
  --diskspec "vda,file=$work/disk.s-mem")" "Domain snapshot s-mem created"
same "the guest runs on after it" "$(v domstate g1 --reason)" "running (unpaused)"
same "the memory is a save image" "$(head -c 16 "$work/s-mem.save")" "LibvirtQemudSave"
has "the memory file in the XML" "$(v snapshot-dumpxml g1 s-mem)" "<memory snapshot='external' file='$work/s-mem.save'/>"
same "external children are not deleted" "$(v snapshot-delete g1 s-mem --children)" \
  "$(printf 'error: Failed to delete snapshot s-mem\nerror: unsupported configuration: deletion of external children disk snapshots not supported')"
same "delete of an external snapshot" "$(v snapshot-delete g1 s-mem)" "Domain snapshot s-mem deleted"
[ ! -e "$work/disk.s-mem" ] || fail "the merged overlay disk.s-mem is still there"
pass "the merged overlay is removed"
has "the disk is back on the image below" "$(v domblklist g1)" "vda +$work/disk.s-ext"
same "quiesce needs --disk-only" "$(v snapshot-create-as g1 s-q --quiesce)" \
  "error: Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'"
same "quiesce needs the agent" "$(v snapshot-create-as g1 s-q --quiesce --disk-only)" \
  "error: argument unsupported: QEMU guest agent is not configured"
same "reused files must exist" "$(v snapshot-create-as g1 s-r --disk-only --reuse-external --diskspec "vda,file=$work/none")" \
  "error: missing existing file for disk vda: $work/none: No such file or directory"
v destroy g1 >/dev/null
same "undefine refuses a guest with snapshots" "$(v undefine g1)" \
  "$(printf "error: Failed to undefine domain 'g1'\nerror: Requested operation is not valid: cannot delete inactive domain with 2 snapshots")"
same "delete with children" "$(v snapshot-delete g1 s-off --children)" "Domain snapshot s-off deleted"
same "no snapshots left" "$(v snapshot-list g1 --name)" ""
same "undefine" "$(v undefine g1)" "Domain 'g1' has been undefined"
stop_daemon
