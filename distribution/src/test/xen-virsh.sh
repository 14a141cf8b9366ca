#!/usr/bin/env bash
# The real virsh against the assembled daemon on xen:///system, on a host without Xen: domxml-to-native and
# domxml-from-native xen-xl must give libvirt 9.0's output for corpus cases (../shared/conformance/xlconfig),
# and a call that needs Xen (start) must fail naming what is missing.
# Usage: xen-virsh.sh DIST_DIR SHARED_DIR
set -euo pipefail

dist=$(readlink -f "$1")
corpus=$(readlink -f "$2")/conformance/xlconfig
[ -d "$corpus" ] || { echo "XEN FAIL: no xlconfig corpus at $corpus" >&2; exit 1; }
command -v virsh >/dev/null || { echo "XEN FAIL: virsh is not installed" >&2; exit 1; }
work=$(mktemp -d /tmp/jvirtd-xen.XXXXXX)
root=$work/root
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "XEN PASS: $*"; }
fail() { echo "XEN FAIL: $*"; failures=$((failures + 1)); }

unshare --net "$dist/bin/jvirtd" -d --root "$root"
pid=$(cat "$root/run/jvirtd.pid")
for _ in $(seq 1 300); do [ -S "$root/run/libvirt/libvirt-sock" ] && break; sleep 0.1; done
[ -S "$root/run/libvirt/libvirt-sock" ] || { echo "XEN FAIL: no socket after 30 s" >&2; exit 1; }
c=(-c "xen+unix:///system?socket=$root/run/libvirt/libvirt-sock")

for name in paravirt-cmdline fullvirt-vnuma spice usb channel-pty; do
  # virsh prints the result and one blank line
  if out=$(virsh "${c[@]}" domxml-to-native xen-xl --xml "$corpus/test-$name.xml" 2>&1) \
      && [ "$out" = "$(cat "$corpus/test-$name.cfg")" ]; then
    pass "domxml-to-native xen-xl $name"
  else
    fail "domxml-to-native xen-xl $name"; diff <(echo "$out") "$corpus/test-$name.cfg" || true
  fi
done
for name in paravirt-cmdline-extra-root disk-positional-parms-full fullvirt-multiserial qemu-passthrough; do
  if out=$(virsh "${c[@]}" domxml-from-native xen-xl "$corpus/test-$name.cfg" 2>&1) \
      && [ "$out" = "$(cat "$corpus/test-$name.xml")" ]; then
    pass "domxml-from-native xen-xl $name"
  else
    fail "domxml-from-native xen-xl $name"; diff <(echo "$out") "$corpus/test-$name.xml" || true
  fi
done

out=$(virsh "${c[@]}" domxml-to-native xen-xm --xml "$corpus/test-paravirt-cmdline.xml" 2>&1) && fail "xen-xm accepted"
grep -q "unsupported config type xen-xm" <<<"$out" && pass "another native format refused" \
  || fail "xen-xm: $out"

out=$(virsh "${c[@]}" define "$corpus/test-paravirt-cmdline.xml" 2>&1) || true
grep -q "Domain 'XenGuest2' defined" <<<"$out" && pass "define stores a Xen domain" || fail "define: $out"
if out=$(virsh "${c[@]}" start XenGuest2 2>&1); then
  fail "start succeeded without Xen"
else
  if grep -q "error: Requested operation is not valid: virDomainCreate needs Xen, and this host has no running Xen hypervisor (/proc/xen/capabilities does not exist)" <<<"$out"; then
    pass "start fails naming what is missing"
  else
    fail "start: $out"
  fi
fi
out=$(virsh "${c[@]}" capabilities 2>&1) && fail "capabilities answered without Xen"
grep -q "virConnectGetCapabilities needs Xen, and this host has no running Xen hypervisor" <<<"$out" \
  && pass "capabilities fails naming what is missing" || fail "capabilities: $out"

kill -TERM "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; pid=

# ---- against the fake xl
fake=$(readlink -f "$(dirname "$0")/../../../driver-xen/src/test/fake-xl")
[ -x "$fake/xl" ] || { echo "XEN FAIL: no fake xl at $fake" >&2; exit 1; }
echo control_d >"$work/capabilities"
export FAKE_XL_STATE=$work/xl JVIRTD_XEN_CAPABILITIES=$work/capabilities
mkdir -p "$FAKE_XL_STATE"
echo 7 >"$FAKE_XL_STATE/next-domid" # Xen numbered six guests before this one, so its id cannot match jvirtd's count
root=$work/root-xl
c=(-c "xen+unix:///system?socket=$root/run/libvirt/libvirt-sock")
guest=$(readlink -f "$2")/conformance/libxlxml2domconfig/basic-pv.xml
start_daemon() {
  PATH="$fake:$PATH" unshare --net "$dist/bin/jvirtd" -d --root "$root"
  pid=$(cat "$root/run/jvirtd.pid")
  for _ in $(seq 1 300); do [ -S "$root/run/libvirt/libvirt-sock" ] && break; sleep 0.1; done
  [ -S "$root/run/libvirt/libvirt-sock" ] || { echo "XEN FAIL: no socket after 30 s" >&2; exit 1; }
}
stop_daemon() {
  kill -TERM "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; pid=
}
xl_log() { cat "$FAKE_XL_STATE/commands.log" 2>/dev/null; : >"$FAKE_XL_STATE/commands.log"; }
state_is() { # state_is DOMAIN STATE: waits up to 20 s for virsh domstate to say STATE
  for _ in $(seq 1 40); do [ "$(virsh "${c[@]}" domstate "$1" 2>&1)" = "$2" ] && return 0; sleep 0.5; done
  return 1
}
check() { # check NAME COMMAND...: passes when the command succeeds
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
start_daemon

out=$(virsh "${c[@]}" version 2>&1) || true
check "version names Xen 4.17" grep -q "Running hypervisor: Xen 4.17.0" <<<"$out"
out=$(virsh "${c[@]}" nodeinfo 2>&1) || true
check "nodeinfo from xl info" grep -Eq "CPU\(s\): +8" <<<"$out"
grep -Eq "Memory size: +16658432 KiB" <<<"$out" || fail "nodeinfo memory: $out"
out=$(virsh "${c[@]}" capabilities 2>&1) || true
check "capabilities list PV, PVH and HVM guests" \
  bash -c 'grep -q "<os_type>xen</os_type>" <<<"$1" && grep -q "<os_type>xenpvh</os_type>" <<<"$1" && grep -q "<os_type>hvm</os_type>" <<<"$1"' _ "$out"
out=$(virsh "${c[@]}" domcapabilities --machine xenfv 2>&1) || true
check "domcapabilities of xenfv" grep -q "<vcpu max='128'/>" <<<"$out"
xl_log >/dev/null

out=$(virsh "${c[@]}" define "$guest" 2>&1) || true
check "define" grep -q "Domain 'test-pv' defined" <<<"$out"
out=$(virsh "${c[@]}" start test-pv 2>&1) || true
check "start" grep -q "Domain 'test-pv' started" <<<"$out"
log=$(xl_log)
check "start ran xl create on the converted config" grep -Eq "^create /.*/xl/test-pv\.cfg$" <<<"$log"
cfg=$(sed -n 's/^create //p' <<<"$log")
check "the domain's id is Xen's domain id" \
  bash -c '[ "$(virsh "${@:2}" domid test-pv)" = "$("$1/xl" domid test-pv)" ]' _ "$fake" "${c[@]}"
check "the config is domxml-to-native's" \
  cmp -s "$cfg" <(virsh "${c[@]}" domxml-to-native xen-xl --xml "$guest" | sed '$d')
virsh "${c[@]}" suspend test-pv >/dev/null 2>&1 || true
check "suspend: xl pause" grep -qx "pause test-pv" "$FAKE_XL_STATE/commands.log"
check "paused" state_is test-pv paused
virsh "${c[@]}" resume test-pv >/dev/null 2>&1 || true
check "resumed" state_is test-pv running
out=$(virsh "${c[@]}" dominfo test-pv 2>&1) || true
check "dominfo: CPU time from xl list" grep -Eq "CPU time: +12\.5s" <<<"$out"
timeout 30 virsh "${c[@]}" event --all --loop --timeout 20 >"$work/events" 2>&1 &
events_pid=$!
sleep 2
"$fake/xl" pause test-pv
check "a pause made with xl is seen" state_is test-pv paused
"$fake/xl" unpause test-pv
check "an unpause made with xl is seen" state_is test-pv running
for _ in $(seq 1 20); do grep -q "Resumed" "$work/events" && break; sleep 0.5; done
kill "$events_pid" 2>/dev/null; wait "$events_pid" 2>/dev/null || true
check "virsh event: Suspended, then Resumed" bash -c 'grep -q "event .lifecycle. for domain .test-pv.: Suspended Paused" "$1" && grep -q "event .lifecycle. for domain .test-pv.: Resumed Unpaused" "$1"' _ "$work/events"

out=$(virsh "${c[@]}" managedsave test-pv 2>&1) || true
check "managedsave" grep -q "Domain 'test-pv' state saved by libvirt" <<<"$out"
check "managed-saved domain is shut off" state_is test-pv "shut off"
out=$(virsh "${c[@]}" start test-pv 2>&1) || true
check "start restores the managed save" grep -q "Domain 'test-pv' started" <<<"$out"
log=$(xl_log)
check "managedsave ran xl save, start xl restore" \
  bash -c 'grep -Eq "^save test-pv /.*\.xl$" <<<"$1" && grep -Eq "^restore /.*/xl/test-pv\.save$" <<<"$1"' _ "$log"

stop_daemon
start_daemon
check "running domain found again after a restart" state_is test-pv running
check "found in xl list -l" grep -qx "list -l" "$FAKE_XL_STATE/commands.log"
xl_log >/dev/null

out=$(virsh "${c[@]}" shutdown test-pv 2>&1) || true
check "shutdown" grep -q "Domain 'test-pv' is being shutdown" <<<"$out"
check "the guest powered off" state_is test-pv "shut off"
check "shutdown: xl shutdown" grep -qx "shutdown test-pv" "$FAKE_XL_STATE/commands.log"

virsh "${c[@]}" autostart test-pv >/dev/null 2>&1 || true
stop_daemon
start_daemon
check "autostart starts it with the daemon" state_is test-pv running
out=$(virsh "${c[@]}" destroy test-pv 2>&1) || true
check "destroy" grep -q "Domain 'test-pv' destroyed" <<<"$out"
check "destroy: xl destroy" grep -qx "destroy test-pv" "$FAKE_XL_STATE/commands.log"
out=$(virsh "${c[@]}" list --all 2>&1) || true
check "the definition stays" grep -Eq "test-pv +shut off" <<<"$out"
virsh "${c[@]}" autostart --disable test-pv >/dev/null 2>&1 || true
stop_daemon

# the virt: shell on xen:///system, in a foreground daemon of its own
out=$(printf '%s\n' "virt:connect xen:///system" "virt:nodeinfo" "virt:domxml-to-native --xml $guest xen-xl" \
  "virt:list --all" "virt:start test-pv" "virt:domstate test-pv" "virt:suspend test-pv" "virt:domstate test-pv" \
  "virt:destroy test-pv" "virt:domstate test-pv" \
  | PATH="$fake:$PATH" timeout 120 unshare --net "$dist/bin/jvirtd" --root "$root" 2>&1) || true
check "virt:nodeinfo on xen:///" grep -Eq "CPU\(s\): +8" <<<"$out"
check "virt:domxml-to-native" grep -q 'bootloader = "pygrub"' <<<"$out"
check "virt:start, suspend, destroy on xen:///" \
  bash -c 'grep -q "Domain .test-pv. started" <<<"$1" && grep -Eq "(^|> )paused$" <<<"$1" && grep -q "Domain .test-pv. destroyed" <<<"$1"' _ "$out"
[ "$failures" = 0 ] || echo "$out"
start_daemon
out=$(virsh "${c[@]}" undefine test-pv 2>&1) || true
check "undefine" grep -q "Domain 'test-pv' has been undefined" <<<"$out"
stop_daemon
start_daemon
out=$(virsh "${c[@]}" list --all --name 2>&1) || true
check "an undefined domain stays gone after a restart" bash -c '! grep -q test-pv <<<"$1"' _ "$out"
stop_daemon

[ "$failures" = 0 ] || { echo "XEN FAIL: $failures checks failed" >&2; exit 1; }
echo "XEN: all checks passed"
