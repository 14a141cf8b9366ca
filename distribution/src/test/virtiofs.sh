#!/usr/bin/env bash
# A virtiofs share end to end: a tiny TCG guest of ../shared/fixtures with <filesystem type='mount'><driver
# type='virtiofs'/> and shared memory starts under the assembled daemon; the driver runs Debian's virtiofsd (found
# through the system's vhost-user descriptor) with -o source= on the socket QEMU's command line names
# (-chardev socket,id=chr-vu-fs0 / vhost-user-fs-pci, as libvirt 9.0 passes them), QEMU connects to it, the guest
# boots, and virtiofsd ends with the guest. Without shared memory the definition is refused with libvirt's message.
# Usage: virtiofs.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs VIRTIOFS qemu-system-x86_64 virsh || exit 0
prerequisite VIRTIOFS "a virtiofsd in /usr/share/qemu/vhost-user (qemu-system-common)" \
  grep -qs '"fs"' /usr/share/qemu/vhost-user/50-qemu-virtiofsd.json || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-vfs.XXXXXX)
dist=$(readlink -f "$1")
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
virtiofsd_pid=
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  [ -n "$virtiofsd_pid" ] && kill -KILL "$virtiofsd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "VIRTIOFS FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "VIRTIOFS PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
gone() { [ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

mkdir -p "$work/share" && echo hello > "$work/share/file.txt"
define() { # define NAME MEMORYBACKING
  cat > "$work/$1.xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>160</memory>
  <vcpu>1</vcpu>
  $2
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='$work/$1.log'/><target port='0'/></serial>
    <filesystem type='mount' accessmode='passthrough'>
      <driver type='virtiofs'/><source dir='$work/share'/><target dir='share0'/>
    </filesystem>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"
define plain ""
out=$(v define "$work/plain.xml" 2>&1) && fail "a virtiofs share without shared memory was accepted"
grep -qF "unsupported configuration: 'virtiofs' requires shared memory" <<<"$out" || fail "refusal: $out"
pass "without shared memory the share is refused with libvirt's message"

define vfs "<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
v define "$work/vfs.xml" >/dev/null || fail "define"
v start vfs >/dev/null || fail "start of a guest with a virtiofs share"
pass "a guest with a virtiofs share starts"

socket=$root/run/jvirtd/qemu/domain-1-vfs/fs0-fs.sock
qemu_pid=$(cat "$root"/run/jvirtd/qemu/domain-1-vfs/qemu.pid)
argv=$(tr '\0' ' ' < "/proc/$qemu_pid/cmdline")
expected="-chardev socket,id=chr-vu-fs0,path=$socket -device {\"driver\":\"vhost-user-fs-pci\",\"id\":\"fs0\",\"chardev\":\"chr-vu-fs0\",\"tag\":\"share0\","
grep -qF -- "$expected" <<<"$argv" || { echo "$argv" >&2; fail "QEMU's argv lacks: $expected"; }
pass "QEMU connects to the share's socket as libvirt passes it"

for p in /proc/[0-9]*; do
  if { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -qF -- "--socket-path=$socket -o source=$work/share"; then
    virtiofsd_pid=${p#/proc/}
  fi
done
[ -n "$virtiofsd_pid" ] || fail "no virtiofsd serves $work/share on $socket"
log=$root/var/log/jvirtd/qemu/vfs-fs0-virtiofsd.log
await 30 "QEMU to connect to virtiofsd" grep -q 'Received vhost-user socket connection' "$log"
pass "virtiofsd (pid $virtiofsd_pid) shares $work/share and QEMU is connected"

await 180 "the guest to boot" grep -q GUEST-READY "$work/vfs.log"
pass "the guest boots with the share"

v destroy vfs >/dev/null || fail "destroy"
await 20 "virtiofsd $virtiofsd_pid to end with the guest" gone "$virtiofsd_pid"
pass "virtiofsd ends with the guest"

kill "$(cat "$root/run/jvirtd.pid")"
echo "VIRTIOFS: all checks passed"
