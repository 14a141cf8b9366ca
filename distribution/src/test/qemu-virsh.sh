#!/usr/bin/env bash
# The QEMU driver end to end through the real virsh on qemu:///system: the shared fixtures' tiny guest
# under TCG is defined, booted, saved, managed-saved, rebooted, hot-plugged, shut down and destroyed,
# and survives daemon restarts (same QEMU PID, events, a guest killed meanwhile shows as crashed).
# (The guest names a hot-plugged disk by its own count: target vdb is its vda.) The disk's counters are read
# by virsh domblkstat/domstats/dommemstat and scraped by the Prometheus libvirt exporter.
# Usage: qemu-virsh.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64 and virsh (see prerequisite.sh).
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs QEMU qemu-system-x86_64 virsh prometheus-libvirt-exporter curl || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-qemu.XXXXXX)
dist=$(readlink -f "$1")   # run in place: each --root instance has its own Felix cache
jvirtd=$dist/bin/jvirtd
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
console=$work/console.log
watchers=()
cleanup() {
  for pid in "${watchers[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "QEMU FAIL: $*" >&2
  tail -n 20 "$root/var/log/jvirtd/jvirtd.log" "$console" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "QEMU PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
markers() { # markers TEXT: how many console lines hold TEXT
  local n
  n=$(grep -ac -- "$1" "$console" 2>/dev/null) || true
  echo "${n:-0}"
}
await() { # await SECONDS WHAT COMMAND...: polls every 0.1 s
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.1
  done
}
marker_count_above() { [ "$(markers "$1")" -gt "$2" ]; }
state_is() { [ "$(v domstate --reason vm1 2>/dev/null)" = "$1" ]; }
qemu_pid() { cat "$root"/run/jvirtd/qemu/domain-*-vm1/qemu.pid 2>/dev/null | head -n 1; }
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '/^State:/{print $2}' "/proc/$1/status" 2>/dev/null)" != Z ]; }
gone() { ! alive "$1"; }
start_daemon() { "$jvirtd" -d --root "$root" || fail "the daemon did not start"; }
stop_daemon() {
  local pid
  pid=$(cat "$root/run/jvirtd.pid")
  kill -TERM "$pid"
  await 30 "the daemon to exit on SIGTERM" gone "$pid"
}
watch_events() { # watch_events FILE: virsh event --all --loop in the background until the test ends
  virsh -c "$uri" event --all --loop >"$1" 2>&1 &
  watchers+=($!)
  await 30 "virsh event to print a probe domain's events" probe_seen "$1"
}
probe_seen() { # probe_seen FILE: defines and undefines the domain probe; true once FILE shows its events
  v define "$work/probe.xml" >/dev/null && v undefine probe >/dev/null
  grep -q "for domain 'probe'" "$1"
}
boot_and_wait() { # boot_and_wait VIRSH-COMMAND: starts vm1 and waits for one more GUEST-READY
  local before
  before=$(markers GUEST-READY)
  v "$@" >/dev/null || fail "virsh $* failed"
  await 60 "GUEST-READY after virsh $*" marker_count_above GUEST-READY "$before"
}

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
    <serial type='file'><source path='$console' append='on'/><target port='0'/></serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <memballoon model='none'/>
  </devices>
</domain>
XML
sed "s#<name>vm1</name>#<name>probe</name>#" "$work/vm1.xml" > "$work/probe.xml"
truncate -s 16M "$work/extra.raw"

start_daemon
out=$(virsh -c "$uri" define "$work/vm1.xml")
expect "define" "$out" "Domain 'vm1' defined"
v setvcpus vm1 2 --config --maximum || fail "setvcpus --config --maximum"
expect "vcpucount after setvcpus --maximum" "$(v vcpucount vm1)" "^maximum +config +2$"
expect "the online count stays" "$(v vcpucount vm1 --config)" "^1$"
expect "cpu-models lists libvirt's x86 models" "$(v cpu-models x86_64)" "^Skylake-Client-IBRS$"
# the host's NUMA cells in the capabilities, which virsh reads for freecell --all and freepages --all
cells=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
expect "capabilities list the host's NUMA cells" "$(v capabilities)" "<cells num='$cells'>"
expect "freecell --all lists each cell (virsh -q leaves the total out)" "$(v freecell --all)" "^ +0: +[1-9][0-9]* KiB"
expect "freepages --all lists each cell's pages" "$(v freepages --all)" "^4KiB: [1-9][0-9]*"
boot_and_wait start vm1
pass "start reaches GUEST-READY on the serial console"
out=$(v dominfo vm1)
expect "dominfo shows it running" "$out" 'State: +running'
expect "domstate gives the reason" "$(v domstate --reason vm1)" '^running \(booted\)$'

live=$(v dumpxml vm1)
expect "live XML has the id" "$live" "<domain type='qemu' id='[0-9]+'>"
expect "live XML records the allocated VNC port" "$live" "<graphics type='vnc' port='59[0-9][0-9]' autoport='yes'"
expect "inactive XML keeps autoport" "$(v dumpxml --inactive vm1)" "<graphics type='vnc' port='-1' autoport='yes'"
expect "migratable XML leaves the port to the destination" "$(v dumpxml --migratable vm1)" \
  "<graphics type='vnc' port='-1' autoport='yes'"

v save vm1 "$work/vm1.save" >/dev/null || fail "save"
expect "save leaves it shut off" "$(v domstate --reason vm1)" '^shut off \(saved\)$'
v restore "$work/vm1.save" >/dev/null || fail "restore"
expect "restore runs it again" "$(v domstate --reason vm1)" '^running \(restored\)$'

v managedsave vm1 >/dev/null || fail "managedsave"
expect "managedsave shows as saved" "$(v list --all --managed-save)" 'vm1 +saved'
v start vm1 >/dev/null || fail "start from the managed save image"
expect "start restores the managed save image" "$(v domstate --reason vm1)" '^running \(restored\)$'
expect "the image is gone after the start" "$(v dominfo vm1)" 'Managed save: +no'
[ "$(markers GUEST-READY)" = 1 ] || fail "the guest booted again instead of resuming"
pass "save/restore and managed save resume the guest without a new boot"

watch_events "$work/events1.txt"
boot_and_wait reboot vm1
await 10 "running (booted) after the reboot" state_is "running (booted)"
pass "reboot boots the guest again"

v attach-disk vm1 "$work/extra.raw" vdb --targetbus virtio --live >/dev/null || fail "attach-disk"
await 20 "the guest to see the new disk" marker_count_above "GUEST-HOTPLUG add block vd" 0
pass "a hot-plugged disk is seen by the guest"
expect "the live XML lists the new disk" "$(v domblklist vm1)" "vdb +$work/extra.raw"
# the guest read the new disk's partition table: its counters say so, and the tools that scrape them see it
reads() { v domblkstat vm1 vdb | awk '$2 == "rd_req" {print $3}'; }
positive() { [ "$("$@")" -gt 0 ] 2>/dev/null; }
await 20 "reads on the new disk" positive reads
expect "domstats --block names the disk" "$(v domstats --block vm1)" "block\.0\.name=vdb"
expect "domstats --cpu-total" "$(v domstats --cpu-total vm1)" "cpu\.time=[1-9][0-9]*"
expect "dommemstat gives the RSS" "$(v dommemstat vm1)" "^rss [1-9][0-9]*"
# virsh -q leaves out the "Screenshot saved ... type of image/png" line: the file tells
v screenshot vm1 "$work/screen.png" >/dev/null || fail "screenshot"
[ "$(head -c 8 "$work/screen.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is no PNG"
pass "the screenshot file is a PNG image"
exporter_port=$(( 20000 + $$ % 10000 ))
prometheus-libvirt-exporter --web.listen-address="127.0.0.1:$exporter_port" --libvirt.uri="$uri" \
  >"$work/exporter.log" 2>&1 &
watchers+=($!)
scrape() { curl -sf "http://127.0.0.1:$exporter_port/metrics"; }
exporter_answers() { scrape >/dev/null; }
await 20 "the exporter to answer" exporter_answers
metrics=$(scrape)
expect "the Prometheus libvirt exporter scrapes every call it makes" "$metrics" "^libvirt_up 1"
expect "the exporter reports the disk's reads" "$metrics" \
  "libvirt_domain_block_stats_read_requests_total\{.*target_device=\"vdb\".*\} [1-9]"
v detach-disk vm1 vdb --live >/dev/null || fail "detach-disk"
await 20 "the guest to see the disk go" marker_count_above "GUEST-HOTPLUG remove block vd" 0
pass "a detached disk leaves the guest"
v setvcpus vm1 2 --live || fail "setvcpus --live"
await 30 "the guest kernel to get the hotplugged vCPU" marker_count_above "has been hot-added" 0
expect "vcpucount --live after the hotplug" "$(v vcpucount vm1 --live)" "^2$"
expect "the config keeps one online vCPU" "$(v vcpucount vm1 --config)" "^1$"
out=$(v send-key vm1 --codeset linux 700 2>&1) && fail "send-key accepted an untranslatable key"
expect "send-key refuses a key without a qnum code" "$out" \
  "cannot translate keycode 700 of linux codeset to qnum keycode"
v send-key vm1 KEY_LEFTSHIFT KEY_A >/dev/null || fail "send-key"
pass "vCPU hotplug reaches the guest; send-key translates or refuses keys as libvirt does"
# memtune, schedinfo and cpu-stats: live values go to QEMU's own cgroup, config ones to the persistent XML
qemu_cgroup() { # qemu_cgroup CONTROLLER: QEMU's group directory of a v1 controller, or its v2 group
  local pid; pid=$(qemu_pid)
  if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
    echo "/sys/fs/cgroup$(awk -F: '$1 == 0 {print $3}' "/proc/$pid/cgroup")"
  else
    echo "/sys/fs/cgroup/$1$(awk -F: -v c="$1" '{n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3}' "/proc/$pid/cgroup")"
  fi
}
v memtune vm1 --hard-limit 1048576 --live || fail "memtune --hard-limit --live"
expect "memtune shows the live hard limit" "$(v memtune vm1)" "^hard_limit +: 1048576$"
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then hard_file=memory.max; else hard_file=memory.limit_in_bytes; fi
[ "$(cat "$(qemu_cgroup memory)/$hard_file")" = 1073741824 ] || fail "the hard limit is not in QEMU's cgroup"
v memtune vm1 --soft-limit 524288 --config || fail "memtune --soft-limit --config"
expect "the config keeps the soft limit" "$(v dumpxml --inactive vm1)" "<soft_limit unit='KiB'>524288</soft_limit>"
expect "memtune --config" "$(v memtune vm1 --config)" "^soft_limit +: 524288$"
v schedinfo vm1 --set cpu_shares=2048 --live >/dev/null || fail "schedinfo --set cpu_shares --live"
expect "schedinfo shows the live shares" "$(v schedinfo vm1)" "^cpu_shares +: 2048$"
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then shares_file=cpu.weight; else shares_file=cpu.shares; fi
[ "$(cat "$(qemu_cgroup cpu)/$shares_file")" = 2048 ] || fail "the shares are not in QEMU's cgroup"
out=$(v schedinfo vm1 --set global_period=500 --live 2>&1) && fail "schedinfo took a period below 1000"
expect "schedinfo refuses a period out of range" "$out" "value of 'global_period' is out of range \[1000, 1000000\]"
expect "cpu-stats --total" "$(v cpu-stats vm1 --total)" "cpu_time +[0-9]+\.[0-9]{9} seconds"
expect "cpu-stats per host CPU" "$(v cpu-stats vm1)" "^CPU0:$"
if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && ls "$(qemu_cgroup blkio)"/blkio*.weight >/dev/null 2>&1; then
  v blkiotune vm1 --weight 700 --live || fail "blkiotune --weight --live"
  expect "blkiotune shows the live weight" "$(v blkiotune vm1)" "^weight +: 700$"
  grep -qx 700 "$(ls "$(qemu_cgroup blkio)"/blkio*.weight | head -n 1)" || fail "the weight is not in QEMU's cgroup"
  out=$(v blkiotune vm1 --weight 50 2>&1) && fail "blkiotune took a weight below 100"
  expect "blkiotune refuses a weight out of range" "$out" "out of blkio weight range"
fi
v memtune vm1 --hard-limit -1 --live || fail "memtune --hard-limit -1"
expect "memtune shows no hard limit again" "$(v memtune vm1)" "^hard_limit +: unlimited$"
pass "memtune, schedinfo, blkiotune and cpu-stats through virsh, in QEMU's cgroup and the config"

v shutdown vm1 >/dev/null || fail "shutdown"
await 30 "shut off after the ACPI shutdown" state_is "shut off (shutdown)"
pass "ACPI shutdown ends in shut off"
await 5 "the shutdown events" grep -q "Stopped Shutdown" "$work/events1.txt"
expect "events of the reboot and the shutdown" "$(cat "$work/events1.txt")" \
  "Shutdown Finished after guest request"

# The console stream (virsh console's API) of a guest whose serial port is a pseudo-terminal.
sed "s#<name>vm1</name>#<name>vmcon</name>#; s#<serial type='file'>.*</serial>#<serial type='pty'/>#" \
  "$work/vm1.xml" > "$work/vmcon.xml"
v define "$work/vmcon.xml" >/dev/null || fail "define vmcon"
out=$(timeout 150 /usr/bin/python3 "$(dirname "$0")/console-check.py" "$uri" vmcon GUEST-READY 120 \
  "$(cat "$root/run/jvirtd.pid")") \
  || { echo "$out" >&2; fail "the console of a guest with a pty serial port"; }
echo "$out"
v undefine vmcon >/dev/null || fail "undefine vmcon"
pass "console: the guest's output, one reader at a time, --force takes it over"

# Daemon restart with a running guest.
boot_and_wait start vm1
pid=$(qemu_pid)
stop_daemon
alive "$pid" || fail "QEMU $pid died with the daemon"
start_daemon
[ "$(qemu_pid)" = "$pid" ] || fail "QEMU pid changed across the restart"
expect "list after a daemon restart" "$(v list)" 'vm1 +running'
expect "dominfo after a daemon restart" "$(v dominfo vm1)" 'State: +running'
pass "the guest keeps QEMU pid $pid across a daemon restart"
watch_events "$work/events2.txt"
v shutdown vm1 >/dev/null || fail "shutdown after the restart"
await 30 "shut off after the ACPI shutdown" state_is "shut off (shutdown)"
await 5 "the shutdown event after the restart" grep -q "Stopped Shutdown" "$work/events2.txt"
pass "shutdown after a daemon restart, with its event"

v start vm1 >/dev/null || fail "start"
pid=$(qemu_pid)
stop_daemon
start_daemon
watch_events "$work/events3.txt"
begin=$(date +%s%N)
v destroy vm1 >/dev/null || fail "destroy after the restart"
echo "destroy took $(( ($(date +%s%N) - begin) / 1000000 )) ms (virsh process included)"
gone "$pid" || fail "QEMU $pid still runs after destroy"
expect "destroy after a daemon restart" "$(v domstate --reason vm1)" '^shut off \(destroyed\)$'
await 5 "the destroy event" grep -q "Stopped Destroyed" "$work/events3.txt"
pass "destroy after a daemon restart, with its event"

v start vm1 >/dev/null || fail "start"
pid=$(qemu_pid)
stop_daemon
kill -KILL "$pid"
await 10 "QEMU to die" gone "$pid"
start_daemon
expect "a guest killed while the daemon was away" "$(v domstate --reason vm1)" '^shut off \((crashed|unknown)\)$'
stop_daemon
echo "QEMU OK"
