#!/usr/bin/env bash
# Domain settings through the real virsh on qemu:///system, with the shared fixtures' tiny guest under TCG:
# iothreadadd/iothreadpin/iothreadset/iothreaddel, blkdeviotune, numatune, domiftune, perf, setvcpu,
# set-lifecycle-action, dompmsuspend/dompmwakeup, domblkerror, send-process-signal and domrename, each answered
# (or refused) with libvirtd 9.0's output and messages for the same guest.
# Usage: settings-virsh.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64 and virsh.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs SETTINGS qemu-system-x86_64 virsh || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-settings.XXXXXX)
dist=$(readlink -f "$1")
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

fail() {
  echo "SETTINGS FAIL: $*" >&2
  tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "SETTINGS PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@" 2>&1; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
refused() { # refused NAME PATTERN VIRSH-ARGS...: the command fails with a message matching PATTERN
  local name=$1 pattern=$2 out
  shift 2
  if out=$(v "$@"); then echo "$out" >&2; fail "$name: virsh $* succeeded"; fi
  expect "$name" "$out" "$pattern"
}

truncate -s 16M "$work/d1.raw" "$work/d2.raw"
domain() { # domain NAME DISK EXTRA-DEVICES
  cat <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>128</memory>
  <vcpu current='1'>2</vcpu>
  <iothreads>1</iothreads>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='raw' iothread='1'/><source file='$work/$2'/><target dev='vda' bus='virtio'/></disk>
    $3
    <serial type='pty'><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}
domain vm1 d1.raw "" > "$work/vm1.xml"
domain vm2 d2.raw "<interface type='ethernet'><mac address='52:54:00:11:22:33'/><model type='virtio'/></interface>" \
  > "$work/vm2.xml"

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"
v define "$work/vm1.xml" >/dev/null || fail "define vm1"
v define "$work/vm2.xml" >/dev/null || fail "define vm2"
v start vm1 >/dev/null || fail "start vm1"

# IOThreads of the running guest (QMP object-add, thread affinity, qom-set, object-del) and of its config
v iothreadadd vm1 2 --live >/dev/null || fail "iothreadadd --live"
refused "iothreadadd twice" "^error: invalid argument: an IOThread is already using iothread_id '2'$" iothreadadd vm1 2 --live
refused "iothreadadd 0 (virsh's own check)" "^error: Invalid IOThread id value: '0'$" iothreadadd vm1 0 --live
v iothreadadd vm1 3 --config >/dev/null || fail "iothreadadd --config"
v iothreadpin vm1 2 0 --live >/dev/null || fail "iothreadpin --live"
expect "iothreadinfo shows the pin" "$(v iothreadinfo vm1)" "^ 2 +0$"
expect "the config has iothread 3" "$(v iothreadinfo vm1 --config)" "^ 3 +"
refused "iothreadpin of an unknown one" "^error: invalid argument: iothread 9 not found$" iothreadpin vm1 9 0 --live
refused "iothreadpin of an unknown one in the config" "^error: invalid argument: iothreadid 9 not found$" \
  iothreadpin vm1 9 0 --config
v iothreadset vm1 2 --poll-max-ns 100 --live >/dev/null || fail "iothreadset --poll-max-ns"
refused "iothreadset of polling in the config" \
  "^error: Operation not supported: configuring persistent polling values is not supported$" \
  iothreadset vm1 3 --poll-max-ns 100 --config
refused "iothreadset with min above max" \
  "thread_pool_min \(5\) can't be greater than thread_pool_max \(4\)" \
  iothreadset vm1 2 --thread-pool-min 5 --thread-pool-max 4 --live
refused "iothreaddel of the disk's thread" \
  "^error: invalid argument: cannot remove IOThread 1 since it is being used by disk 'vda'$" iothreaddel vm1 1 --live
v iothreaddel vm1 2 --live >/dev/null || fail "iothreaddel --live"
refused "iothreaddel twice" "^error: invalid argument: cannot find IOThread '2' in iothreadids list$" \
  iothreaddel vm1 2 --live

# the disk throttle, live through block_set_io_throttle and read back from QEMU
out=$(v blkdeviotune vm1 vda)
expect "blkdeviotune lists 20 values" "$(grep -c : <<<"$out")" "^20$"
expect "blkdeviotune has group_name" "$out" "^group_name     : $"
v blkdeviotune vm1 vda --total-bytes-sec 1000000 --live >/dev/null || fail "blkdeviotune --total-bytes-sec"
out=$(v blkdeviotune vm1 vda)
expect "QEMU throttles the disk" "$out" "^total_bytes_sec: 1000000$"
expect "QEMU names the group after the device" "$out" "^group_name     : /machine/peripheral/virtio-disk0/virtio-backend$"
v blkdeviotune vm1 vda --total-iops-sec 100 --total-iops-sec-max 200 --group-name g1 >/dev/null \
  || fail "blkdeviotune iops and group"
out=$(v blkdeviotune vm1 vda)
expect "the iops family" "$out" "^total_iops_sec_max: 200$"
expect "the group" "$out" "^group_name     : g1$"
refused "blkdeviotune with a burst below its rate" \
  "^error: unsupported configuration: value 'total_bytes_sec_max' cannot be smaller than 'total_bytes_sec'$" \
  blkdeviotune vm1 vda --total-bytes-sec 100 --total-bytes-sec-max 10
refused "blkdeviotune reset of a rate with a burst" \
  "^error: unsupported configuration: cannot reset 'total_iops_sec' when 'total_iops_sec_max' is set$" \
  blkdeviotune vm1 vda --total-bytes-sec 0 --total-iops-sec 0 --live
refused "blkdeviotune: QEMU's refusal of a burst length alone" \
  "^error: internal error: unable to execute QEMU command 'block_set_io_throttle': burst length set without burst rate$" \
  blkdeviotune vm1 vda --total-bytes-sec-max-length 10
refused "blkdeviotune of an unknown disk" "^error: invalid argument: disk 'vdz' not found in domain$" blkdeviotune vm1 vdz
v blkdeviotune vm1 vda --config --write-iops-sec 5 >/dev/null || fail "blkdeviotune --config"
expect "the config keeps the throttle" "$(v dumpxml --inactive vm1)" "<write_iops_sec>5</write_iops_sec>"

# what libvirtd 9.0 also refuses here
refused "numatune live" "^error: Requested operation is not valid: cgroup cpuset controller is not mounted$" \
  numatune vm1 --nodeset 0 --live
refused "perf live" "perf event for cmt" perf vm1 --enable cmt --live
refused "domrename of a running domain" "^error: Requested operation is not valid: cannot rename active domain$" \
  domrename vm1 vmx
refused "dompmsuspend without agent" "^error: argument unsupported: QEMU guest agent is not configured$" \
  dompmsuspend vm1 mem
refused "dompmsuspend with a duration" "^error: argument unsupported: Duration not supported. Use 0 for now$" \
  dompmsuspend vm1 disk --duration 10
refused "dompmwakeup of a running guest" \
  "^error: internal error: unable to execute QEMU command 'system_wakeup': Unable to wake up: guest is not in suspended state$" \
  dompmwakeup vm1
refused "send-process-signal" \
  "^error: this function is not supported by the connection driver: virDomainSendProcessSignal$" \
  send-process-signal vm1 1 0
expect "domblkerror" "$(v domblkerror vm1)" "^No errors found$"
v setvcpu vm1 1 --enable --live >/dev/null || fail "setvcpu --enable --live"
expect "vCPU 1 hotplugged" "$(v vcpucount vm1 --live --active)" "^2$"
refused "setvcpu of vCPU 0" "^error: invalid argument: vCPU '0' can't be modified$" setvcpu vm1 0 --disable --config
v set-lifecycle-action vm1 poweroff restart --live >/dev/null || fail "set-lifecycle-action --live"
expect "the live definition restarts on power-off" "$(v dumpxml vm1)" "<on_poweroff>restart</on_poweroff>"
refused "set-lifecycle-action preserve on reboot" \
  "qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'" \
  set-lifecycle-action vm1 reboot preserve --config

# the shut-off guest's config: numatune, domiftune, perf, lifecycle, rename
v numatune vm2 --mode restrictive --nodeset 0 >/dev/null || fail "numatune"
expect "numatune reads back" "$(v numatune vm2)" "^numa_mode +: restrictive$"
v domiftune vm2 52:54:00:11:22:33 --inbound 100,200,300,400 --outbound 10 >/dev/null || fail "domiftune"
out=$(v domiftune vm2 52:54:00:11:22:33)
expect "domiftune inbound" "$out" "^inbound.floor  : 400$"
expect "domiftune outbound" "$out" "^outbound.average: 10$"
v domiftune vm2 52:54:00:11:22:33 --inbound 0 >/dev/null || fail "domiftune --inbound 0"
expect "an inbound of 0 goes, outbound stays" "$(v dumpxml vm2 | tr -d '\n' | tr -s ' ')" \
  "<bandwidth> <outbound average='10'/> </bandwidth>"
refused "domiftune live on a shut-off domain" "^error: Requested operation is not valid: domain is not running$" \
  domiftune vm2 52:54:00:11:22:33 --live --inbound 5
v perf vm2 --enable cpu_cycles,instructions >/dev/null || fail "perf --enable"
v perf vm2 --disable instructions >/dev/null || fail "perf --disable"
out=$(v dumpxml vm2)
expect "perf events in the config" "$out" "<event name='instructions' enabled='no'/>"
v set-lifecycle-action vm2 crash coredump-destroy >/dev/null || fail "set-lifecycle-action"
expect "lifecycle in the config" "$(v dumpxml vm2)" "<on_crash>coredump-destroy</on_crash>"
refused "domblkerror of a shut-off domain" "^error: Requested operation is not valid: domain is not running$" \
  domblkerror vm2
refused "domrename to a taken name" "^error: Requested operation is not valid: domain with name 'vm1' already exists$" \
  domrename vm2 vm1
refused "domrename to itself" "^error: Requested operation is not valid: Can't rename domain to itself$" \
  domrename vm2 vm2
refused "domrename with a slash" "^error: XML error: name a/b cannot contain '/'$" domrename vm2 a/b
v domrename vm2 vm3 >/dev/null || fail "domrename"
expect "the renamed domain keeps its settings" "$(v dumpxml vm3)" "<on_crash>coredump-destroy</on_crash>"
refused "the old name is gone" "failed to get domain 'vm2'" dominfo vm2
# the same calls as virt: commands of the operator shell
jshell() { "$dist/bin/jvirtd-shell" --root "$root" -c 'virt:connect qemu:///system' "$@"; }
out=$(jshell -c 'virt:iothreadadd --live vm1 4' -c 'virt:iothreadinfo vm1') || fail "virt:iothreadadd: $out"
expect "virt:iothreadadd and virt:iothreadinfo" "$out" "^ *4 +[0-9]"
out=$(jshell -c 'virt:blkdeviotune vm1 vda') || fail "virt:blkdeviotune: $out"
expect "virt:blkdeviotune" "$out" "^total_iops_sec_max: 200$"
expect "virt:domblkerror" "$(jshell -c 'virt:domblkerror vm1')" "^No errors found$"
err=$(jshell -c 'virt:set-lifecycle-action --config vm1 reboot preserve' 2>&1 >/dev/null) || true
expect "virt:set-lifecycle-action refuses as virsh does" "$err" \
  "^error: unsupported configuration: qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'$"
v destroy vm1 >/dev/null || fail "destroy vm1"
