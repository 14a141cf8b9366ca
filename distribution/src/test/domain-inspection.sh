#!/usr/bin/env bash
# The REMOTE calls that look into a running QEMU guest or change the host, end to end through the real virsh,
# libvirt-python and the operator shell against the assembled daemon, with the tiny TCG guest that runs the
# QEMU guest agent: block and memory peeks, the dirty page rate, the agent's response timeout, save/restore
# with typed parameters, the legacy lifecycle event registration, the balloon-change and device-removed events, storage pool capabilities and lookup by
# target path, and the host calls (node-memory-tune set, allocpages, nodesuspend); storage pool source discovery,
# authorized SSH keys through the agent and a VNC client descriptor (virDomainOpenGraphicsFD). Messages are libvirtd
# 9.0's.
# Usage: domain-inspection.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64, virsh,
# python3-libvirt and qemu-guest-agent (see prerequisite.sh and ci-install.sh).
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs INSPECT qemu-system-x86_64 virsh /usr/sbin/qemu-ga || exit 0
base=$(readlink -m "$2")
if [ ! -s "$base/vmlinuz" ] || [ ! -s "$base/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$base" >&2
fi
work=$(mktemp -d /tmp/jvirtd-inspect.XXXXXX)
guest=$work/agent-guest
"$(dirname "$0")/../../../driver-qemu/src/test/tools/make-agent-guest.sh" "$base" "$guest" >&2
dist=$(readlink -f "$1")
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
console=$work/console.log
py=/usr/bin/python3
loops=()
cleanup() {
  if [ ${#loops[@]} -gt 0 ]; then
    vgremove -f jvinspectvg >/dev/null 2>&1 || true
    for l in "${loops[@]}"; do pvremove -ff -y "$l" >/dev/null 2>&1 || true; losetup -d "$l" 2>/dev/null || true; done
  fi
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "INSPECT FAIL: $*" >&2
  tail -n 20 "$root/var/log/jvirtd/jvirtd.log" "$console" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "INSPECT PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
verr() { timeout 60 virsh -q -c "$uri" "$@" 2>&1 >/dev/null && return 1 || true; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
jshell() { "$dist/bin/jvirtd-shell" --root "$root" -c "virt:connect qemu:///system" "$@"; }
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
on_console() { grep -aq -- "$1" "$console" 2>/dev/null; }

truncate -s 16M "$work/disk.raw"
printf 'JVIRTD-PEEK-MARK' | dd of="$work/disk.raw" bs=1 seek=4096 conv=notrunc status=none
qemu-img create -q -f qcow2 "$work/disk.qcow2" 16M
mkdir -p "$work/pool"
cat > "$work/vm1.xml" <<XML
<domain type='qemu'>
  <name>vm1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$work/disk.raw'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$work/disk.qcow2'/><target dev='vdb' bus='virtio'/></disk>
    <serial type='file'><source path='$console' append='on'/><target port='0'/></serial>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <channel type='pty'><target type='virtio' name='org.jvirtd.pty.0'/></channel>
    <graphics type='vnc' passwd='secret'><listen type='none'/></graphics>
    <memballoon model='virtio'/>
  </devices>
</domain>
XML

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"

# ---- storage: pool capabilities (the backends here marked supported) and lookup by target path
caps=$(v pool-capabilities)
expect "pool-capabilities marks the dir backend supported" "$caps" "<pool type='dir' supported='yes'>"
expect "pool-capabilities lists the types libvirt knows without a backend here" "$caps" \
  "<pool type='iscsi-direct' supported='no'>"
[ "$(jshell -c 'virt:pool-capabilities')" = "$(v pool-capabilities)" ] || fail "virt:pool-capabilities differs"
pass "virt:pool-capabilities prints the same document"
v pool-define-as p1 dir --target "$work/pool" >/dev/null && v pool-start p1 >/dev/null || fail "pool p1"
out=$($py -c 'import libvirt,sys; c=libvirt.open(sys.argv[1]); print(c.storagePoolLookupByTargetPath(sys.argv[2]+"/").name())' \
  "$uri" "$work/pool")
expect "storagePoolLookupByTargetPath finds the active pool" "$out" "^p1$"

# ---- storage: find-storage-pool-sources, libvirtd 9.0's XML and errors (a volume group on two loop devices)
expect "find-storage-pool-sources netfs without a host" "$(verr find-storage-pool-sources netfs)" \
  "^error: invalid argument: hostname must be specified for netfs sources$"
expect "find-storage-pool-sources-as netfs of a host without an NFS server" \
  "$(verr find-storage-pool-sources-as netfs 127.0.0.1)" \
  "^error: operation failed: no storage pools were found on host '127.0.0.1'$"
expect "find-storage-pool-sources of a type without discovery" "$(verr find-storage-pool-sources dir)" \
  "^error: this function is not supported by the connection driver: pool type 'dir' does not support source discovery$"
if [ -e /dev/loop-control ] && command -v losetup >/dev/null && command -v vgcreate >/dev/null; then
  for i in 1 2; do
    truncate -s 16M "$work/pv$i.img"
    loops+=("$(losetup --find --show "$work/pv$i.img")")
  done
  pvcreate -q "${loops[@]}" >/dev/null 2>&1 && vgcreate -q jvinspectvg "${loops[@]}" >/dev/null 2>&1 \
    || fail "vgcreate on ${loops[*]}"
  out=$(v find-storage-pool-sources logical)
  block="  <source>
    <device path='${loops[0]}'/>
    <device path='${loops[1]}'/>
    <name>jvinspectvg</name>
    <format type='lvm2'/>
  </source>"
  [[ "$out" == "<sources>"*"$block"*"</sources>" ]] || { echo "$out" >&2; fail "find-storage-pool-sources logical"; }
  pass "find-storage-pool-sources logical lists the volume group with both physical volumes"
  [ "$(jshell -c 'virt:find-storage-pool-sources logical')" = "$out" ] || fail "virt:find-storage-pool-sources differs"
  pass "virt:find-storage-pool-sources prints the same document"
fi

# ---- host: KSM parameters, huge page pools, suspend
if [ -e /sys/kernel/mm/ksm/sleep_millisecs ]; then
  sleep_ms=$(cat /sys/kernel/mm/ksm/sleep_millisecs)
  v node-memory-tune --shm-sleep-millisecs "$sleep_ms" || fail "node-memory-tune --shm-sleep-millisecs"
  jshell -c "virt:node-memory-tune --shm-sleep-millisecs $sleep_ms" || fail "virt:node-memory-tune set"
  pass "node-memory-tune sets a KSM parameter (to the value it has) through virsh and virt:"
fi
if [ -e /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages ]; then
  nr=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
  v allocpages 2M "$nr" || fail "allocpages 2M $nr"
  jshell -c "virt:allocpages 2M $nr" || fail "virt:allocpages"
  pass "allocpages sets the 2 MiB pool (to the size it has) through virsh and virt:"
fi
expect "allocpages of a size the host lacks" "$(verr allocpages 3M 1)" \
  "^error: operation failed: page size 3072 is not available$"
if [ ! -S /run/dbus/system_bus_socket ] && ! command -v pm-is-supported >/dev/null; then
  expect "nodesuspend on a host without logind or pm-utils (libvirtd's answer here)" "$(verr nodesuspend mem 60)" \
    "error: argument unsupported: Suspend-to-RAM"
fi

# ---- the guest
v define "$work/vm1.xml" >/dev/null || fail "define"
v start vm1 >/dev/null || fail "start"
await 120 "the guest agent to start in the guest" on_console GUEST-AGENT-START
pass "the agent guest boots"

# ---- a channel stream (virDomainOpenChannel) to the guest agent's port: a command and its answer from qemu-ga
cat > "$work/channel.py" <<'PY'
import libvirt, sys
c = libvirt.open(sys.argv[1])
d = c.lookupByName("vm1")
st = c.newStream(0)
d.openChannel("org.qemu.guest_agent.0", st, 0)
try:
    d.openChannel("channel0", c.newStream(0), 0)
except libvirt.libvirtError as e:
    print("second", e.get_error_code(), e.get_error_message())
for name in ("org.jvirtd.pty.0", "nosuch"):
    try:
        d.openChannel(name, c.newStream(0), 0)
    except libvirt.libvirtError as e:
        print(name, e.get_error_code(), e.get_error_message())
st.send(b'{"execute":"guest-sync","arguments":{"id":4242}}\n')
answer = b""
while b"\n" not in answer:
    answer += st.recv(1024)
print("answer", answer.decode().strip())
st.finish()
PY
out=$(timeout 60 $py "$work/channel.py" "$uri" 2>&1) || true
expect "openChannel: qemu-ga answers through the stream" "$out" '^answer \{"return": 4242\}$'
expect "openChannel: one client per channel" "$out" "^second 9 operation failed: Active channel stream exists for this domain$"
expect "openChannel: a pty channel is refused as libvirt refuses it" "$out" \
  "^org.jvirtd.pty.0 1 internal error: channel org.jvirtd.pty.0 is not using a UNIX socket$"
expect "openChannel: an unknown channel" "$out" "^nosuch 1 internal error: cannot find channel nosuch$"

cat > "$work/peek.py" <<'PY'
import libvirt, sys
c = libvirt.open(sys.argv[1])
d = c.lookupByName("vm1")
def t(name, f):
    try:
        r = f()
        print(name, "->", r.hex() if isinstance(r, bytes) else r)
    except libvirt.libvirtError as e:
        print(name, "error", e.get_error_code(), e.get_error_message())
t("peek-vda", lambda: d.blockPeek("vda", 4096, 16, 0))
t("peek-path", lambda: d.blockPeek(sys.argv[2] + "/disk.raw", 4096, 16, 0))
t("peek-qcow2", lambda: d.blockPeek("vdb", 0, 16, 0))
t("peek-nodisk", lambda: d.blockPeek("vdz", 0, 16, 0))
t("peek-flags", lambda: d.blockPeek("vda", 0, 16, 1))
t("peek-end", lambda: d.blockPeek("vda", 16 * 1024 * 1024 - 8, 16, 0))
t("peek-4m", lambda: len(d.blockPeek("vda", 0, 4194304, 0)))
t("mem-phys", lambda: d.memoryPeek(0xffff0, 16, libvirt.VIR_MEMORY_PHYSICAL))
t("mem-noflags", lambda: d.memoryPeek(0, 16, 0))
t("mem-4m", lambda: len(d.memoryPeek(0, 4194304, libvirt.VIR_MEMORY_PHYSICAL)))
t("dirty-0s", lambda: d.startDirtyRateCalc(0, 0))
t("agent-timeout--3", lambda: d.agentSetResponseTimeout(-3, 0))
PY
out=$($py "$work/peek.py" "$uri" "$work")
expect "blockPeek reads a raw disk by target" "$out" "^peek-vda -> $(printf JVIRTD-PEEK-MARK | od -An -tx1 | tr -d ' \n')$"
expect "blockPeek reads a raw disk by source path" "$out" "^peek-path -> $(printf JVIRTD-PEEK-MARK | od -An -tx1 | tr -d ' \n')$"
expect "blockPeek refuses a qcow2 disk" "$out" \
  "^peek-qcow2 error 84 Operation not supported: peeking is only supported for disk with 'raw' format not 'qcow2'$"
expect "blockPeek of a disk the domain lacks" "$out" "^peek-nodisk error 8 invalid argument: disk 'vdz' not found in domain$"
expect "blockPeek flags" "$out" "^peek-flags error 8 unsupported flags \(0x1\) in function qemuDomainBlockPeek$"
expect "blockPeek past the end" "$out" \
  "^peek-end error 8 invalid argument: 'vda' starting from 16777208 has only 8 bytes available$"
expect "blockPeek of the 4 MiB the protocol carries" "$out" "^peek-4m -> 4194304$"
expect "memoryPeek without a mode" "$out" \
  "^mem-noflags error 8 invalid argument: flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL$"
expect "memoryPeek of the 4 MiB the protocol carries" "$out" "^mem-4m -> 4194304$"
expect "startDirtyRateCalc outside [1, 60]" "$out" \
  "^dirty-0s error 67 unsupported configuration: seconds=0 is invalid, please choose value within \[1, 60\]\.$"
expect "agentSetResponseTimeout below -2" "$out" \
  "^agent-timeout--3 error 8 invalid argument: guest agent timeout '-3' is less than the minimum '-2'$"
# the reset vector at 0xffff0 holds the end of the SeaBIOS image QEMU maps below 1 MiB (the far jump and the
# BIOS date; SeaBIOS sets the last byte, a checksum, in its RAM copy)
peeked=$(sed -n 's/^mem-phys -> //p' <<<"$out" | cut -c1-30)
bios=$(tail -c 16 /usr/share/seabios/bios-256k.bin | head -c 15 | od -An -tx1 | tr -d ' \n')
[ -n "$peeked" ] && [ "$peeked" = "$bios" ] || fail "memoryPeek physical 0xffff0: $peeked, the BIOS image ends $bios"
pass "memoryPeek (pmemsave) gives the BIOS bytes at the reset vector"

# ---- dirty page rate: started, then read by domstats --dirtyrate
expect "domdirtyrate-calc starts a calculation" "$(timeout 60 virsh -c "$uri" domdirtyrate-calc vm1 --seconds 1)" \
  "^Start to calculate domain's memory dirty rate successfully\.$"
expect "domdirtyrate-calc --mode dirty-ring needs KVM's dirty ring" "$(verr domdirtyrate-calc vm1 --mode dirty-ring)" \
  "^error: Operation not supported: dirty-ring calculation mode requires dirty-ring feature enabled\.$"
measured() { v domstats --dirtyrate vm1 | grep -q 'dirtyrate.calc_status=2'; }
await 30 "the dirty rate to be measured" measured
out=$(v domstats --dirtyrate vm1)
expect "domstats --dirtyrate shows the measurement" "$out" "dirtyrate.megabytes_per_second=[0-9]+"
expect "domstats --dirtyrate names the mode and period" "$out" "dirtyrate.calc_mode=page-sampling"
expect "virt:domdirtyrate-calc" "$(jshell -c 'virt:domdirtyrate-calc --seconds 2 vm1')" "dirty rate successfully"
period_two() { v domstats --dirtyrate vm1 | grep -q 'dirtyrate.calc_period=2'; }
await 30 "the calculation virt:domdirtyrate-calc started" period_two
pass "virt:domdirtyrate-calc started a 2-second calculation"

# ---- BALLOON_CHANGE: the guest's balloon driver gives memory back after setmem, virsh event reports it
timeout 90 virsh -c "$uri" event vm1 --event balloon-change --loop --timeout 80 > "$work/balloon.events" 2>&1 &
watcher=$!
sleep 2
v setmem vm1 100M --live || fail "setmem 100M --live"
balloon_seen() { grep -q "event 'balloon-change' for domain 'vm1': 102400KiB" "$work/balloon.events"; }
await 60 "the balloon-change event of setmem" balloon_seen
kill "$watcher" 2>/dev/null || true
pass "setmem --live gives a balloon-change event with the guest's new size"

# ---- DEVICE_REMOVED: a hot-plugged disk detached, QEMU's DEVICE_DELETED reported with the disk's alias
truncate -s 4M "$work/extra.raw"
v attach-disk vm1 "$work/extra.raw" vdc --targetbus virtio --live >/dev/null || fail "attach-disk vdc"
timeout 90 virsh -c "$uri" event vm1 --event device-removed --loop --timeout 80 > "$work/removed.events" 2>&1 &
watcher=$!
sleep 2
v detach-disk vm1 vdc --live >/dev/null || fail "detach-disk vdc"
removed_seen() { grep -qE "event 'device-removed' for domain 'vm1': virtio-disk[0-9]+$" "$work/removed.events"; }
await 60 "the device-removed event of the disk" removed_seen
kill "$watcher" 2>/dev/null || true
pass "detach-disk --live gives a device-removed event with the disk's alias ($(grep -o 'virtio-disk[0-9]*' "$work/removed.events"))"

# ---- authorized SSH keys through the agent (get-user-sshkeys, set-user-sshkeys; virsh 9.0 prints the keys
# without a newline between them, with libvirtd too)
agent_answers() { v qemu-agent-command vm1 '{"execute":"guest-ping"}' >/dev/null 2>&1; }
await 60 "the guest agent to answer" agent_answers
ka="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA1 a@host"
kb="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB2 b@host"
kc="ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC3 c@host"
printf '%s\n%s\n' "$ka" "$kb" > "$work/keys-ab"; printf '%s\n' "$kb" > "$work/keys-b"; printf '%s\n' "$kc" > "$work/keys-c"
expect "get-user-sshkeys before any key: the agent's error" "$(verr get-user-sshkeys vm1 root)" \
  "^error: internal error: unable to execute QEMU agent command 'guest-ssh-get-authorized-keys': failed to read '/root/.ssh/authorized_keys'"
expect "set-user-sshkeys appends only from a file" "$(verr set-user-sshkeys vm1 root)" "^error: Option --file is required$"
v set-user-sshkeys vm1 root --file "$work/keys-ab" --reset || fail "set-user-sshkeys --reset"
out=$(v get-user-sshkeys vm1 root)
[[ "$out" == *"$ka"* && "$out" == *"$kb"* ]] || fail "get-user-sshkeys after --reset: $out"
v set-user-sshkeys vm1 root --file "$work/keys-b" --remove || fail "set-user-sshkeys --remove"
jshell -c "virt:set-user-sshkeys --file $work/keys-c vm1 root" || fail "virt:set-user-sshkeys"
out=$(jshell -c 'virt:get-user-sshkeys vm1 root')
[ "$(sort <<<"$out")" = "$(printf '%s\n%s\n' "$ka" "$kc" | sort)" ] || fail "virt:get-user-sshkeys after --remove and an append: $out"
pass "set-user-sshkeys --reset/--remove and an append, read back with get-user-sshkeys and virt:"

# ---- virDomainOpenGraphicsFD (libvirt-python; virsh has no command): the descriptor is a client of the VNC server
cat > "$work/graphics.py" <<'PY'
import libvirt, socket, sys
libvirt.registerErrorHandler(lambda ctx, err: None, None)
d = libvirt.open(sys.argv[1]).lookupByName("vm1")
for flags in (0, 1):
    s = socket.socket(fileno=d.openGraphicsFD(0, flags))
    greeting = s.recv(12)
    s.sendall(b"RFB 003.008\n")
    print("flags", flags, greeting.decode().strip(), list(s.recv(2)))
    s.close()
try:
    d.openGraphicsFD(1, 0)
except libvirt.libvirtError as e:
    print("index 1:", e.get_error_message())
PY
out=$(timeout 60 $py "$work/graphics.py" "$uri" 2>&1) || true
expect "openGraphicsFD: RFB 3.8, VNC authentication offered (the password)" "$out" "^flags 0 RFB 003.008 \[1, 2\]$"
expect "openGraphicsFD with SKIPAUTH: no authentication offered" "$out" "^flags 1 RFB 003.008 \[1, 1\]$"
expect "openGraphicsFD of a missing graphics device" "$out" "^index 1: internal error: No graphics backend with index 1$"

# ---- the agent's response timeout: 0 means no wait, -1 the default again
v domtime vm1 >/dev/null || fail "domtime with the agent"
$py -c 'import libvirt,sys; libvirt.open(sys.argv[1]).lookupByName("vm1").agentSetResponseTimeout(0, 0)' "$uri"
expect "with timeout 0 an agent call does not wait" "$(verr domtime vm1)" \
  "error: Guest agent is not responding: Guest agent not available for now"
$py -c 'import libvirt,sys; libvirt.open(sys.argv[1]).lookupByName("vm1").agentSetResponseTimeout(-1, 0)' "$uri"
v domtime vm1 >/dev/null || fail "domtime after the timeout is back to the default"
pass "agentSetResponseTimeout -1 brings the default back"

# ---- the legacy lifecycle registration (virConnectDomainEventRegister) sees save and restore (params)
cat > "$work/legacy.py" <<'PY'
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open(sys.argv[1])
seen = []
def on_event(conn, dom, event, detail, opaque):
    seen.append((dom.name(), event, detail))
c.domainEventRegister(on_event, None)
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
d = c.lookupByName("vm1")
d.saveParams({libvirt.VIR_DOMAIN_SAVE_PARAM_FILE: sys.argv[2]}, 0)
print("after save", d.state()[0])
try:
    c.restoreParams({}, 0)
except libvirt.libvirtError as e:
    print("restore without file", e.get_error_code(), e.get_error_message())
c.restoreParams({libvirt.VIR_DOMAIN_SAVE_PARAM_FILE: sys.argv[2]}, 0)
print("after restore", c.lookupByName("vm1").state()[0])
deadline = time.time() + 20
# the events up to started/restored (libvirt's QEMU driver also sends suspended before a save, resumed after a restore)
while ("vm1", 2, 2) not in seen and time.time() < deadline:
    time.sleep(0.1)
print("events", seen)
c.domainEventDeregister(on_event)
PY
out=$(timeout 300 $py "$work/legacy.py" "$uri" "$work/vm1.save" 2>&1) || true
expect "saveParams with a file saves and stops the guest" "$out" "^after save 5$"
expect "restoreParams without a file" "$out" "^restore without file 8 invalid argument: missing path to restore from$"
expect "restoreParams runs the guest again" "$out" "^after restore 1$"
expect "the legacy callback sees stopped/saved and started/restored" "$out" \
  "^events \[.*\('vm1', 5, 4\), \('vm1', 2, 2\).*\]$"
# libvirtd lets go of the monitor before it ends a saved QEMU: no "Shutdown Finished" (it has one for destroy)
grep -q "^events .*('vm1', 6, " <<<"$out" && fail "a SHUTDOWN event for a save: $out"
pass "no SHUTDOWN event for a save, as from libvirtd"

v destroy vm1 >/dev/null || true
kill -TERM "$(cat "$root/run/jvirtd.pid")"
echo "INSPECT: all checks passed"
