#!/usr/bin/env bash
# jvirtd-guests with real guests: two tiny TCG guests of ../shared/fixtures under the QEMU driver are
# managed-saved by `stop` and restored (not rebooted) by `start`; in shutdown mode the guest that powers
# off on ACPI is shut down and the one without ACPI is destroyed after SHUTDOWN_TIMEOUT, and said so.
# Usage: guests-tcg.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64 and virsh (see prerequisite.sh).
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs GUESTS qemu-system-x86_64 virsh || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-guests.XXXXXX)
dist=$(readlink -f "$1")   # run in place: each --root instance has its own Felix cache
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "GUESTS FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "GUESTS PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
expect() { grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }; pass "$1"; }
ready() { [ "$(grep -ac GUEST-READY "$work/$1.log" 2>/dev/null || true)" -ge "$2" ]; }
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

define() { # define NAME ACPI(yes|no)
  local features=""
  [ "$2" = yes ] && features="<features><acpi/></features>"
  cat > "$work/$1.xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline>
  </os>
  $features
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='$work/$1.log' append='on'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
  v define "$work/$1.xml" >/dev/null || fail "define $1"
}

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"
define g1 yes
define g2 no
v start g1 >/dev/null && v start g2 >/dev/null || fail "start"
await 90 "both guests to boot" bash -c "grep -q GUEST-READY '$work/g1.log' && grep -q GUEST-READY '$work/g2.log'"
pass "two TCG guests boot"

cat > "$work/guests.conf" <<CONF
URIS="$uri"
ON_BOOT=start
ON_SHUTDOWN=suspend
SHUTDOWN_TIMEOUT=20
CONF
export JVIRTD_GUESTS_CONFIG=$work/guests.conf JVIRTD_GUESTS_STATE=$work/guests.state
guests=$dist/bin/jvirtd-guests

out=$("$guests" stop)
expect "stop managed-saves g1" "$out" 'Suspending g1: done'
expect "stop managed-saves g2" "$out" 'Suspending g2: done'
out=$(v list --all --managed-save)
expect "both guests are saved" "$out" 'g1 +saved'
expect "g2 is saved too" "$out" 'g2 +saved'

out=$("$guests" start)
expect "start resumes g1" "$out" 'Resuming guest g1: done'
expect "start resumes g2" "$out" 'Resuming guest g2: done'
expect "g1 runs from its image" "$(v domstate --reason g1)" 'running \(restored\)'
ready g1 2 && fail "g1 booted again instead of resuming"
pass "restored guests did not boot again"

out=$("$guests" shutdown)
expect "the ACPI guest shuts down" "$out" 'Shutdown of guest g1 complete.'
expect "the guest ignoring ACPI is destroyed after the timeout, by name" "$out" \
  'Timeout expired while shutting down domains; destroying g2'
expect "g1 is shut off by shutdown" "$(v domstate --reason g1)" 'shut off \(shutdown\)'
expect "g2 is shut off by destroy" "$(v domstate --reason g2)" 'shut off \(destroyed\)'

kill -TERM "$(cat "$root/run/jvirtd.pid")"
echo "GUESTS OK"
