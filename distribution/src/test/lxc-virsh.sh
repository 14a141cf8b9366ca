#!/usr/bin/env bash
# The real virsh against the assembled daemon on lxc:///system with the shared busybox container root: define,
# list, dumpxml, start (init as PID 1 in its own namespaces), dominfo, lifecycle events, virsh console (through
# lxc-console.py), virsh lxc-enter-namespace (descriptors passed over the socket), suspend/resume, a daemon restart that keeps the same controller
# and starts an autostart container, shutdown through init,
# destroy leaving no cgroup or mount behind, undefine. Needs root. The daemon runs in a network namespace of
# its own.
# Usage: lxc-virsh.sh DIST_DIR SHARED_DIR ROOTFS_CACHE
set -euo pipefail

dist=$(readlink -f "$1")
shared=$(readlink -f "$2")
rootfs=$(readlink -f "$3")
here=$(dirname "$(readlink -f "$0")")
command -v virsh >/dev/null || { echo "LXC FAIL: virsh is not installed" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "LXC FAIL: needs root (namespaces, mounts, cgroups)" >&2; exit 1; }
[ -e "$rootfs/etc/fixture-rootfs" ] || "$shared/fixtures/make-ct-rootfs.sh" "$rootfs" >/dev/null
work=$(mktemp -d /tmp/jvirtd-lxc.XXXXXX)
root=$work/root
pid=
events=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    for d in vct vsh vauto; do virsh "${c[@]}" destroy "$d" >/dev/null 2>&1 || true; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  [ -n "$events" ] && kill "$events" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "LXC PASS: $*"; }
fail() { echo "LXC FAIL: $*"; failures=$((failures + 1)); }
expect() { # expect WHAT PATTERN COMMAND...
  local what=$1 pattern=$2 out; shift 2
  if out=$("$@" 2>&1) && grep -Eq -- "$pattern" <<<"$out"; then pass "$what"; else fail "$what: $out"; fi
}

start_daemon() {
  unshare --net "$dist/bin/jvirtd" -d --root "$root"
  pid=$(cat "$root/run/jvirtd.pid")
  for _ in $(seq 1 300); do [ -S "$root/run/libvirt/libvirt-sock" ] && break; sleep 0.1; done
  [ -S "$root/run/libvirt/libvirt-sock" ] || { echo "LXC FAIL: no socket after 30 s" >&2; exit 1; }
}
uri="lxc+unix:///system?socket=$root/run/libvirt/libvirt-sock"
c=(-c "$uri")

container() { # container NAME INIT
  cat <<XML
<domain type='lxc'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <os><type>exe</type><init>$2</init></os>
  <devices>
    <filesystem type='mount'><source dir='$rootfs'/><target dir='/'/></filesystem>
    <console type='pty'/>
  </devices>
</domain>
XML
}
controller_of() { sed -n "s/.*key='controllerPid' value='\([0-9]*\)'.*/\1/p" "$root/run/jvirtd/lxc/$1.xml"; }

start_daemon
expect "virsh version names the LXC hypervisor" "Running hypervisor: LXC [0-9]" virsh "${c[@]}" version
container vct /sbin/init > "$work/vct.xml"
container vsh /bin/sh > "$work/vsh.xml"
expect "define" "Domain 'vct' defined" virsh "${c[@]}" define "$work/vct.xml"
expect "define a second" "Domain 'vsh' defined" virsh "${c[@]}" define "$work/vsh.xml"
expect "list --all shows both shut off" "vct +shut off" virsh "${c[@]}" list --all
expect "dumpxml gives the LXC definition" "<filesystem type='mount' accessmode='passthrough'>" \
  virsh "${c[@]}" dumpxml vct

virsh "${c[@]}" event --all --loop > "$work/events" 2>&1 &
events=$!
sleep 1
expect "start" "Domain 'vct' started" virsh "${c[@]}" start vct
expect "dominfo: running, os type exe" "State: +running" virsh "${c[@]}" dominfo vct
expect "list shows it running with an id" "^ *[0-9]+ +vct +running" virsh "${c[@]}" list
ct=$(controller_of vct)
init=$(sed -n "s/.*key='initPid' value='\([0-9]*\)'.*/\1/p" "$root/run/jvirtd/lxc/vct.xml")
[ "$(readlink /proc/"$init"/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] && [ "$(cat /proc/"$init"/comm)" = init ] \
  && pass "busybox init runs in a PID namespace of its own" || fail "init $init"
expect "start a shell container" "Domain 'vsh' started" virsh "${c[@]}" start vsh
if /usr/bin/python3 "$here/lxc-console.py" "$uri" vsh 30 | sed 's/^/LXC console: /'; then
  pass "virsh console"; else fail "virsh console"; fi

expect "suspend" "Domain 'vct' suspended" virsh "${c[@]}" suspend vct
expect "paused" "^paused" virsh "${c[@]}" domstate vct
expect "resume" "Domain 'vct' resumed" virsh "${c[@]}" resume vct

container vauto /sbin/init > "$work/vauto.xml"
virsh "${c[@]}" define "$work/vauto.xml" >/dev/null
expect "autostart" "Domain 'vauto' marked as autostarted" virsh "${c[@]}" autostart vauto

kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$events" 2>/dev/null || true; events=
kill -0 "$ct" 2>/dev/null && pass "the container's controller outlives the daemon" || fail "controller $ct gone"
start_daemon
expect "after a restart the containers still run" "vct +running" virsh "${c[@]}" list
expect "the autostart container was started with the daemon" "vauto +running" virsh "${c[@]}" list
expect "destroy it" "Domain 'vauto' destroyed" virsh "${c[@]}" destroy vauto
expect "undefine it" "Domain 'vauto' has been undefined" virsh "${c[@]}" undefine vauto
[ "$(controller_of vct)" = "$ct" ] && pass "reattached to the same controller ($ct)" \
  || fail "controller $(controller_of vct), was $ct"
if /usr/bin/python3 "$here/lxc-console.py" "$uri" vsh 30 | sed 's/^/LXC console: /'; then
  pass "virsh console after the restart"; else fail "virsh console after the restart"; fi
expect "lxc-enter-namespace runs ps inside: busybox init is PID 1" "^ +1 root +init$" \
  virsh "${c[@]}" lxc-enter-namespace vct /bin/ps
expect "lxc-enter-namespace enters the UTS and network namespaces too" "^vct$" \
  virsh "${c[@]}" lxc-enter-namespace vct /bin/hostname
out=$(virsh "${c[@]}" lxc-enter-namespace vct /sbin/ip -o link 2>&1) && [ "$(grep -c . <<<"$out")" = 1 ] \
  && grep -q "lo:" <<<"$out" && pass "inside, only lo" || fail "links inside: $out"
expect "lxc-enter-namespace is refused on a read-only connection" "read only access prevents virDomainLxcOpenNamespace" \
  sh -c 'virsh -r -c "$0" lxc-enter-namespace vct /bin/ps 2>&1; true' "lxc+unix:///system?socket=$root/run/libvirt/libvirt-sock-ro"

virsh "${c[@]}" event --all --loop > "$work/events2" 2>&1 &
events=$!
sleep 1
expect "shutdown" "Domain 'vct' is being shutdown" virsh "${c[@]}" shutdown vct
for _ in $(seq 1 300); do [ "$(virsh "${c[@]}" domstate vct 2>/dev/null | head -1)" = "shut off" ] && break; sleep 0.1; done
expect "shutdown ends it through its init" "shut off \(shutdown\)" virsh "${c[@]}" domstate --reason vct
vsh_ct=$(controller_of vsh)
expect "destroy" "Domain 'vsh' destroyed" virsh "${c[@]}" destroy vsh
expect "destroyed" "shut off \(destroyed\)" virsh "${c[@]}" domstate --reason vsh
sleep 1
grep -q "lifecycle.*vct.*Stopped Shutdown" "$work/events2" && grep -q "lifecycle.*vsh.*Stopped Destroyed" "$work/events2" \
  && pass "virsh event shows Stopped Shutdown and Stopped Destroyed" || fail "events: $(cat "$work/events2")"
grep -q "lifecycle.*vct.*Started Booted" "$work/events" && pass "virsh event shows Started Booted" \
  || fail "events: $(cat "$work/events")"
for p in "$ct" "$vsh_ct"; do kill -0 "$p" 2>/dev/null && fail "controller $p still runs" || pass "controller $p ended"; done
left=$(find /sys/fs/cgroup -maxdepth 6 -name 'vct.libvirt-lxc' -o -maxdepth 6 -name 'vsh.libvirt-lxc' | head -3)
[ -z "$left" ] && pass "no cgroup left behind" || fail "cgroups left: $left"
grep -q "$rootfs" /proc/self/mountinfo && fail "a mount of the root is left" || pass "no mount left behind"
expect "undefine" "Domain 'vct' has been undefined" virsh "${c[@]}" undefine vct
expect "undefine the second" "Domain 'vsh' has been undefined" virsh "${c[@]}" undefine vsh

# the Gogo shell's virt: commands on lxc:/// as on qemu:/// (a daemon of its own that stops at end of input)
container vgogo /sbin/init > "$work/vgogo.xml"
out=$(printf '%s\n' "virt:connect lxc:///system" "virt:define $work/vgogo.xml" "virt:start vgogo" "virt:list" \
  "virt:dominfo vgogo" "virt:suspend vgogo" "virt:domstate vgogo" "virt:resume vgogo" "virt:destroy vgogo" \
  "virt:list --all" "virt:undefine vgogo" | timeout 120 unshare --net "$dist/bin/jvirtd" --root "$work/gogo" 2>&1)
for pattern in "Domain 'vgogo' started" " 1 +vgogo +running" "OS Type: +exe" "^(jvirtd> )?paused" \
    "Domain 'vgogo' destroyed" " - +vgogo +shut off" "Domain 'vgogo' has been undefined"; do
  grep -Eq -- "$pattern" <<<"$out" && pass "virt: shell on lxc:/// shows /$pattern/" || fail "virt: /$pattern/ in: $out"
done

[ "$failures" = 0 ] || { echo "LXC FAIL: $failures checks failed" >&2; exit 1; }
echo "LXC: all checks passed"
