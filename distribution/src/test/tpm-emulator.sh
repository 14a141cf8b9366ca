#!/usr/bin/env bash
# An emulated TPM end to end: a tiny TCG guest of ../shared/fixtures with <tpm model='tpm-crb'><backend
# type='emulator' version='2.0'/></tpm> starts under the assembled daemon; swtpm runs on the control socket
# QEMU's command line names (-chardev socket,id=chrtpm / -tpmdev emulator / tpm-crb, as libvirt 9.0 passes
# them), the guest's kernel binds its TPM 2.0 driver (tpm_crb on the ACPI TPM2 device), the state is
# made once by swtpm_setup under var/lib/jvirtd/swtpm/UUID/tpm2 and kept across runs, swtpm ends with the
# guest (destroy, and QEMU killed), undefine removes the state (not with --keep-tpm), and a transient guest's TPM
# state goes with it.
# Usage: tpm-emulator.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs TPM qemu-system-x86_64 virsh swtpm swtpm_setup || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-tpm.XXXXXX)
chmod 755 "$work"   # swtpm runs as qemu.conf's swtpm_user (tss): the daemon's root must be traversable, as /var is
dist=$(readlink -f "$1")
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
swtpm_dir=$root/run/jvirtd/qemu/swtpm
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid "$swtpm_dir"/*.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "TPM FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "TPM PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
gone() { ! alive "$1"; }

uuid=6f3a1c2e-1b2d-4c5e-9f10-7a7e57e3d001
cat > "$work/tpmg.xml" <<XML
<domain type='qemu'>
  <name>tpmg</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>160</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='$work/tpmg.log' append='on'/><target port='0'/></serial>
    <tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>
    <memballoon model='none'/>
  </devices>
</domain>
XML

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"
v define "$work/tpmg.xml" >/dev/null || fail "define"
v start tpmg >/dev/null || fail "start of a guest with an emulated TPM"
pass "a guest with an emulated TPM starts"

qemu_pid=$(cat "$root"/run/jvirtd/qemu/domain-1-tpmg/qemu.pid)
socket=$swtpm_dir/1-tpmg-swtpm.sock
argv=$(tr '\0' ' ' < "/proc/$qemu_pid/cmdline")
expected="-chardev socket,id=chrtpm,path=$socket -tpmdev emulator,id=tpm-tpm0,chardev=chrtpm -device {\"driver\":\"tpm-crb\",\"tpmdev\":\"tpm-tpm0\",\"id\":\"tpm0\"}"
grep -qF -- "$expected" <<<"$argv" || { echo "$argv" >&2; fail "QEMU's argv lacks: $expected"; }
pass "QEMU connects to swtpm's control socket as libvirt passes it"

swtpm_pid=$(cat "$swtpm_dir/1-tpmg-swtpm.pid")
alive "$swtpm_pid" || fail "no swtpm runs (pid file says $swtpm_pid)"
tr '\0' ' ' < "/proc/$swtpm_pid/cmdline" | grep -qF -- "--ctrl type=unixio,path=$socket" \
  || fail "swtpm $swtpm_pid does not serve $socket"
if [ "$(id -u)" = 0 ] && id tss >/dev/null 2>&1; then
  [ "$(stat -c %U "/proc/$swtpm_pid")" = tss ] || fail "swtpm runs as $(stat -c %U "/proc/$swtpm_pid"), not as swtpm_user tss"
fi
pass "swtpm runs (pid $swtpm_pid, user $(stat -c %U "/proc/$swtpm_pid")) on $socket"

state=$root/var/lib/jvirtd/swtpm/$uuid/tpm2
[ -s "$state/tpm2-00.permall" ] || fail "no TPM state in $state"
pass "swtpm_setup made the TPM's state in var/lib/jvirtd/swtpm/$uuid/tpm2"

await 180 "the guest to boot" grep -q GUEST-READY "$work/tpmg.log"
# the kernel binds tpm_crb to the TPM2 ACPI device (MSFT0101); without a TPM IMA reports "No TPM chip found"
grep -q 'tpm_crb MSFT0101' "$work/tpmg.log" && ! grep -q 'No TPM chip found' "$work/tpmg.log" \
  || { grep -i -E 'tpm|ima' "$work/tpmg.log" >&2; fail "the guest's kernel found no TPM"; }
pass "the guest's kernel found the TPM 2.0"

v destroy tpmg >/dev/null || fail "destroy"
await 20 "swtpm $swtpm_pid to end with the guest" gone "$swtpm_pid"
[ ! -e "$socket" ] || fail "swtpm's socket $socket is left behind"
pass "swtpm ends with the guest"

permall_before=$(stat -c %i "$state/tpm2-00.permall")
setups_before=$(grep -c 'Starting vTPM manufacturing' "$root"/var/log/jvirtd/qemu/tpmg-swtpm.log || true)
v start tpmg >/dev/null || fail "second start"
[ "$(grep -c 'Starting vTPM manufacturing' "$root"/var/log/jvirtd/qemu/tpmg-swtpm.log || true)" = "$setups_before" ] \
  || fail "swtpm_setup made the TPM again on the second start"
[ -s "$state/tpm2-00.permall" ] || fail "the TPM state is gone after a restart"
pass "the TPM state persists across runs (made once, $setups_before manufacturing, inode $permall_before)"

swtpm_pid=$(cat "$swtpm_dir/1-tpmg-swtpm.pid" 2>/dev/null || cat "$swtpm_dir"/*-tpmg-swtpm.pid)
qemu_pid=$(cat "$root"/run/jvirtd/qemu/domain-*-tpmg/qemu.pid)
kill -KILL "$qemu_pid"
await 30 "the guest to be shut off after QEMU was killed" bash -c "virsh -q -c '$uri' domstate tpmg | grep -q 'shut off'"
await 20 "swtpm $swtpm_pid to end after QEMU was killed" gone "$swtpm_pid"
pass "swtpm ends when QEMU dies"

# undefine keeps the TPM state with --keep-tpm and removes it otherwise, as libvirt does
v undefine tpmg --keep-tpm >/dev/null || fail "undefine --keep-tpm"
[ -s "$state/tpm2-00.permall" ] || fail "undefine --keep-tpm removed the TPM state"
v define "$work/tpmg.xml" >/dev/null || fail "define again"
v undefine tpmg >/dev/null || fail "undefine"
[ ! -e "$root/var/lib/jvirtd/swtpm/$uuid" ] || fail "undefine left the TPM state in $root/var/lib/jvirtd/swtpm/$uuid"
pass "undefine --keep-tpm keeps the TPM state, undefine removes it"

# the operator shell's virt:undefine takes virsh's --keep-tpm; virsh undefine --tpm removes the state
v define "$work/tpmg.xml" >/dev/null && v start tpmg >/dev/null && v destroy tpmg >/dev/null || fail "a third run"
[ -s "$state/tpm2-00.permall" ] || fail "no TPM state after the third run"
out=$("$dist/bin/jvirtd-shell" --root "$root" -c 'virt:connect qemu:///system' -c 'virt:undefine --keep-tpm tpmg' 2>&1) \
  || fail "virt:undefine --keep-tpm: $out"
[ -s "$state/tpm2-00.permall" ] || fail "virt:undefine --keep-tpm removed the TPM state"
v define "$work/tpmg.xml" >/dev/null || fail "define for undefine --tpm"
v undefine tpmg --tpm >/dev/null || fail "undefine --tpm"
[ ! -e "$root/var/lib/jvirtd/swtpm/$uuid" ] || fail "undefine --tpm left the TPM state"
pass "virt:undefine --keep-tpm keeps the TPM state, undefine --tpm removes it"

# a transient guest's TPM state goes with the guest
tuuid=6f3a1c2e-1b2d-4c5e-9f10-7a7e57e3d002
sed -e "s/$uuid/$tuuid/" -e 's/<name>tpmg</<name>tpmt</' -e "s|$work/tpmg.log|$work/tpmt.log|" \
  "$work/tpmg.xml" > "$work/tpmt.xml"
v create "$work/tpmt.xml" >/dev/null || fail "create of a transient guest with an emulated TPM"
[ -s "$root/var/lib/jvirtd/swtpm/$tuuid/tpm2/tpm2-00.permall" ] || fail "no TPM state for the transient guest"
v destroy tpmt >/dev/null || fail "destroy of the transient guest"
await 20 "the transient guest's TPM state to be deleted" test ! -e "$root/var/lib/jvirtd/swtpm/$tuuid"
pass "a transient guest's TPM state is deleted when it ends"

kill "$(cat "$root/run/jvirtd.pid")"
echo "TPM: all checks passed"
