#!/usr/bin/env bash
# Block jobs end to end through the real virsh on qemu:///system, the shared fixtures' tiny guest under TCG
# with a three-layer qcow2 chain (base <- mid <- top, each layer holding its own pattern): blockresize,
# domblkthreshold, an inactive blockcommit, an active blockcommit with pivot (the chain becomes one file, all
# data there), blockpull, blockcopy with pivot (the old files can be removed), the block job events, the live
# XML's backingStore chain and mirror, a copy that survives a daemon restart and is then aborted; checkpoints,
# a full push backup and an incremental one after the guest wrote three clusters (only those in it, and the
# two together equal the guest's disk), a pull backup over NBD on a unix socket with its dirty bitmap; then the
# virt shell's commands.
# Usage: block-jobs.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64, qemu-img, qemu-io, virsh.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs BLOCK qemu-system-x86_64 qemu-img qemu-io virsh || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-block.XXXXXX)
dist=$(readlink -f "$1")
jvirtd=$dist/bin/jvirtd
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
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
  echo "BLOCK FAIL: $*" >&2
  tail -n 30 "$root/var/log/jvirtd/jvirtd.log" "$work"/events*.log >&2 2>/dev/null || true
  exit 1
}
pass() { echo "BLOCK PASS: $*"; }
v() { timeout 120 virsh -c "$uri" "$@"; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
await() { # await SECONDS WHAT COMMAND...: polls every 0.2 s
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '/^State:/{print $2}' "/proc/$1/status" 2>/dev/null)" != Z ]; }
gone() { ! alive "$1"; }
start_daemon() { "$jvirtd" -d --root "$root" || fail "the daemon did not start"; }
stop_daemon() {
  local pid
  pid=$(cat "$root/run/jvirtd.pid")
  kill -TERM "$pid"
  await 30 "the daemon to exit on SIGTERM" gone "$pid"
}
qemu_pid() { cat "$root"/run/jvirtd/qemu/domain-*-"$1"/qemu.pid 2>/dev/null | tail -n 1; }
open_images() { ls -l "/proc/$(qemu_pid "$1")/fd" 2>/dev/null | grep -o "$work/[a-z0-9]*\.qcow2" | sort -u | tr '\n' ' '; }
disk_xml() { v dumpxml "$1" | sed -n '/<disk/,/<\/disk>/p'; }
pattern_at() { # pattern_at IMAGE BYTE OFFSET LENGTH: the image reads as BYTE there
  local out
  out=$(qemu-io -r -U -f qcow2 -c "read -P $2 $3 $4" "$1" 2>&1)
  grep -q "^read" <<<"$out" && ! grep -q "verification failed" <<<"$out"
}
chain() { # chain PREFIX: base (0x11 at 0) <- mid (0x22 at 1M) <- top (0x33 at 2M, 16M of it)
  qemu-img create -q -f qcow2 "$work/$1base.qcow2" 64M
  qemu-io -f qcow2 -c 'write -P 0x11 0 1M' "$work/$1base.qcow2" >/dev/null
  qemu-img create -q -f qcow2 -F qcow2 -b "$1base.qcow2" "$work/$1mid.qcow2"
  qemu-io -f qcow2 -c 'write -P 0x22 1M 1M' "$work/$1mid.qcow2" >/dev/null
  qemu-img create -q -f qcow2 -F qcow2 -b "$1mid.qcow2" "$work/$1top.qcow2"
  qemu-io -f qcow2 -c 'write -P 0x33 2M 16M' "$work/$1top.qcow2" >/dev/null
}
all_data_in() { # all_data_in IMAGE: the three layers' patterns read back through IMAGE
  pattern_at "$1" 0x11 0 1M && pattern_at "$1" 0x22 1M 1M && pattern_at "$1" 0x33 2M 16M
}
domain_xml() { # domain_xml NAME TOP
  cat <<XML
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
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'><source path='$work/$1.console'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}
events_show() { grep -qF -- "$2" "$1"; }
probe_seen() { # probe_seen FILE: defines and undefines the domain probe; true once FILE shows its events
  v define "$work/probe.xml" >/dev/null && v undefine probe >/dev/null
  grep -q "for domain 'probe'" "$1"
}
watch_events() { # watch_events FILE: virsh event --all --loop in the background, listening once this returns
  virsh -c "$uri" event --all --loop >"$1" 2>&1 &
  watchers+=($!)
  await 30 "virsh event to print a probe domain's events" probe_seen "$1"
}

start_daemon
domain_xml probe /dev/null > "$work/probe.xml"
watch_events "$work/events.log"

# ---- resize and threshold, and the messages for a disk that is not there
chain a
domain_xml vm1 "$work/atop.qcow2" > "$work/vm1.xml"
v define "$work/vm1.xml" >/dev/null || fail "define vm1"
v start vm1 >/dev/null || fail "start vm1"
expect "the live XML shows the backing chain" "$(disk_xml vm1 | tr -d '\n' | tr -s ' ')" \
  "<source file='$work/atop.qcow2' index='1'/> <backingStore type='file' index='2'> <format type='qcow2'/> <source file='$work/amid.qcow2'/> <backingStore type='file' index='3'> <format type='qcow2'/> <source file='$work/abase.qcow2'/> <backingStore/>"
expect "blockresize of a missing disk" "$(v blockresize vm1 vdz 100M 2>&1 || true)" \
  "invalid argument: disk 'vdz' was not found in the domain config"
expect "blockresize" "$(v blockresize vm1 vda 100M 2>&1)" "Block device 'vda' is resized"
expect "QEMU reports the new size" "$(v domblkinfo vm1 vda)" "Capacity: +104857600"
expect "domblkthreshold of a missing disk" "$(v domblkthreshold vm1 vdz 1M 2>&1 || true)" \
  "invalid argument: failed to find disk 'vdz'"
v domblkthreshold vm1 vda 1G >/dev/null || fail "domblkthreshold vda"
pass "domblkthreshold sets a threshold"
expect "blockjob --info without a job" "$(v blockjob vm1 vda --info 2>&1)" "No current block job for vda"
expect "blockjob --abort without a job" "$(v blockjob vm1 vda --abort 2>&1 || true)" \
  "invalid argument: disk vda does not have an active block job"
expect "blockcommit of a missing disk" "$(v blockcommit vm1 vdz 2>&1 || true)" \
  "invalid argument: disk 'vdz' not found in domain"
expect "blockcommit of the active layer needs --active" "$(v blockcommit vm1 vda 2>&1 || true)" \
  "invalid argument: commit of 'vda' active layer requires active flag"
expect "blockcopy of a persistent domain needs --transient-job" \
  "$(v blockcopy vm1 vda "$work/never.qcow2" 2>&1 || true)" "Requested operation is not valid: domain is not transient"

# ---- inactive commit: mid into base, top stays
out=$(v blockcommit vm1 vda --top 'vda[2]' --wait --verbose 2>&1) || fail "blockcommit --top: $out"
expect "inactive blockcommit completes" "$out" "Commit complete"
expect "the chain lost the middle image" "$(disk_xml vm1 | tr -d '\n' | tr -s ' ')" \
  "<source file='$work/atop.qcow2' index='1'/> <backingStore type='file' index='2'> <format type='qcow2'/> <source file='$work/abase.qcow2'/> <backingStore/>"

# ---- active commit with pivot: one file with all the data
out=$(v blockcommit vm1 vda --active --pivot --wait --verbose 2>&1) || fail "blockcommit --active: $out"
expect "active blockcommit pivots" "$out" "Successfully pivoted"
expect "virsh showed the progress" "$out" "Block commit: \[100 %\]"
expect "the chain is one file" "$(disk_xml vm1 | tr -d '\n' | tr -s ' ')" \
  "<source file='$work/abase.qcow2' index='1'/> <backingStore/> <target"
await 10 "the READY event" events_show "$work/events.log" "event 'block-job-2' for domain 'vm1': Active Block Commit for vda ready"
await 10 "the completed event" events_show "$work/events.log" "event 'block-job-2' for domain 'vm1': Active Block Commit for vda completed"
await 10 "the path-named event" events_show "$work/events.log" "event 'block-job' for domain 'vm1': Active Block Commit for $work/abase.qcow2 completed"
pass "BLOCK_JOB and BLOCK_JOB_2 events"
expect "QEMU holds only the base open" "$(open_images vm1)" "^$work/abase.qcow2 $"
v destroy vm1 >/dev/null
all_data_in "$work/abase.qcow2" || fail "base lacks data of the committed layers"
pass "the base holds every layer's data"

# ---- pull, then copy with pivot on a transient domain
chain b
domain_xml vm2 "$work/btop.qcow2" > "$work/vm2.xml"
v create "$work/vm2.xml" >/dev/null || fail "create vm2"
out=$(v blockpull vm2 vda --wait --verbose 2>&1) || fail "blockpull: $out"
expect "blockpull completes" "$out" "Pull complete"
expect "the pulled chain is one file" "$(disk_xml vm2 | tr -d '\n' | tr -s ' ')" \
  "<source file='$work/btop.qcow2' index='1'/> <backingStore/> <target"
expect "blockcopy onto an existing file needs --reuse-external" \
  "$(v blockcopy vm2 vda "$work/btop.qcow2" 2>&1 || true)" "already exists and is not a block device"
out=$(v blockcopy vm2 vda "$work/bcopy.qcow2" --wait --verbose --pivot 2>&1) || fail "blockcopy: $out"
expect "blockcopy pivots" "$out" "Successfully pivoted"
expect "the disk is the copy now" "$(disk_xml vm2)" "<source file='$work/bcopy.qcow2' index='1'/>"
expect "QEMU holds only the copy open" "$(open_images vm2)" "^$work/bcopy.qcow2 $"
qemu-img compare -U "$work/btop.qcow2" "$work/bcopy.qcow2" >/dev/null || fail "the copy differs from the source"
rm "$work/btop.qcow2" "$work/bmid.qcow2" "$work/bbase.qcow2"
all_data_in "$work/bcopy.qcow2" || fail "the copy lacks data"
pass "the old images are removed and the copy holds all the data"
expect "the guest runs on" "$(v domstate vm2)" "^running$"

# ---- a slow copy survives a daemon restart, then is aborted
out=$(v blockcopy vm2 vda "$work/bslow.qcow2" --bandwidth 1 2>&1) || fail "slow blockcopy: $out"
expect "the copy shows as mirror" "$(disk_xml vm2)" "<mirror type='file' file='$work/bslow.qcow2' format='qcow2' job='copy'>"
stop_daemon
start_daemon
watch_events "$work/events-after-restart.log"
expect "the job is found after a restart" "$(v blockjob vm2 vda --info 2>&1)" "Block Copy: \[ *[0-9]+ %\]"
expect "a copy not ready cannot pivot" "$(v blockjob vm2 vda --pivot 2>&1 || true)" \
  "block copy still active: disk 'vda' not ready for pivot yet"
v blockjob vm2 vda --abort >/dev/null || fail "blockjob --abort"
expect "the abort leaves the disk as it was" "$(disk_xml vm2 | tr -d '\n' | tr -s ' ')" \
  "<source file='$work/bcopy.qcow2' index='1'/> <backingStore/> <target"
await 10 "the canceled event" events_show "$work/events-after-restart.log" "event 'block-job-2' for domain 'vm2': Block Copy for vda canceled"
pass "the abort is reported as canceled"
expect "no job after the abort" "$(v blockjob vm2 vda --info 2>&1)" "No current block job for vda"
expect "QEMU let go of the abandoned copy" "$(open_images vm2)" "^$work/bcopy.qcow2 $"
v destroy vm2 >/dev/null

# ---- checkpoints, and a full then an incremental push backup of a guest that writes in between
chain d
domain_xml vm4 "$work/dtop.qcow2" | sed -e 's/fixture.net=off/fixture.net=off fixture.shell=1/' \
  -e "s#<serial type='file'><source path='$work/vm4.console'/>#<serial type='pty'>#" > "$work/vm4.xml"
v define "$work/vm4.xml" >/dev/null || fail "define vm4"
v start vm4 >/dev/null || fail "start vm4"
pts=$(v dumpxml vm4 | grep -o "/dev/pts/[0-9]*" | head -n 1)
[ -n "$pts" ] || fail "vm4 has no serial pty"
stty -F "$pts" raw -echo
cat "$pts" > "$work/vm4.console" &
watchers+=($!)
console_shows() { grep -aq "$1" "$work/vm4.console"; }
await 60 "vm4's GUEST-READY" console_shows GUEST-READY
guest_run() { # guest_run MARKER COMMAND: runs COMMAND in the guest's shell, waits for MARKER after it
  printf '%s; echo %s\n' "$2" "$1" > "$pts"
  await 60 "the guest to run: $2" console_shows "^$1"
}
expect "checkpoint-create-as" "$(v checkpoint-create-as vm4 c0 --description first 2>&1)" "Domain checkpoint c0 created"
expect "a checkpoint name is taken once" "$(v checkpoint-create-as vm4 c0 2>&1 || true)" \
  "operation failed: domain moment c0 already exists"
cat > "$work/full.xml" <<XML
<domainbackup mode='push'><disks><disk name='vda' type='file'><target file='$work/full.qcow2'/><driver type='qcow2'/></disk></disks></domainbackup>
XML
echo "<domaincheckpoint><name>c1</name></domaincheckpoint>" > "$work/c1.xml"
expect "backup-begin with a checkpoint" "$(v backup-begin vm4 "$work/full.xml" "$work/c1.xml" 2>&1)" "Backup started"
backup_done() { v domjobinfo vm4 --completed --keep-completed 2>/dev/null | grep -q "Job type: *Completed"; }
await 60 "the full backup to complete" backup_done
expect "domjobinfo --completed tells a backup" "$(v domjobinfo vm4 --completed)" "Operation: *Backup"
expect "and, without --keep-completed, forgets it then, as libvirtd 9.0" "$(v domjobinfo vm4 --completed)" "Job type: +None"
qemu-img compare -U "$work/full.qcow2" "$work/dtop.qcow2" >/dev/null || fail "the full backup differs from the disk"
pass "the full backup equals the disk"
expect "checkpoint-list --parent" "$(v checkpoint-list vm4 --parent)" " c1 +[0-9-]+ [0-9:]+ [+0-9]+ +c0"
expect "checkpoint-dumpxml --no-domain" "$(v checkpoint-dumpxml vm4 c1 --no-domain | tr -d '\n' | tr -s ' ')" \
  "<domaincheckpoint> <name>c1</name> <parent> <name>c0</name> </parent> <creationTime>[0-9]+</creationTime> <disks> <disk name='vda' checkpoint='bitmap' bitmap='c1'/> </disks></domaincheckpoint>"
expect "checkpoint-parent of a root" "$(v checkpoint-parent vm4 c0 2>&1 || true)" "error: checkpoint 'c0' has no parent"
expect "checkpoint-dumpxml of a missing one" "$(v checkpoint-dumpxml vm4 cX 2>&1 || true)" \
  "Domain checkpoint not found: no domain checkpoint with matching name 'cX'"
guest_run WROTE "dd if=/dev/urandom of=/dev/vda bs=65536 count=3 seek=300 conv=fsync"
cat > "$work/inc.xml" <<XML
<domainbackup mode='push'><incremental>c1</incremental><disks><disk name='vda' type='file'><target file='$work/inc.qcow2'/><driver type='qcow2'/></disk></disks></domainbackup>
XML
timeout 120 virsh -c "$uri" event vm4 --event job-completed > "$work/job-event.txt" 2>&1 &
event_pid=$!
sleep 1
expect "incremental backup-begin" "$(v backup-begin vm4 "$work/inc.xml" 2>&1)" "Backup started"
inc_done() { v domjobinfo vm4 --completed --keep-completed 2>/dev/null | grep -q "File total: *192.000 KiB"; }
await 60 "the incremental backup to complete" inc_done
wait "$event_pid" || fail "no job-completed event: $(cat "$work/job-event.txt")"
expect "the job-completed event of the backup, with libvirt's figures" "$(tr '\n\t' '  ' < "$work/job-event.txt")" \
  "event 'job-completed' for domain 'vm4': +operation: 9 +time_elapsed: [0-9]+ +disk_total: 196608 +disk_processed: 196608 +disk_remaining: 0 +success: 1"
data=$(qemu-img map -U --output=json "$work/inc.qcow2" | grep '"data": true')
expect "the incremental backup holds only the three changed clusters" "$data" \
  '"start": 19660800, "length": 196608, .*"data": true'
[ "$(wc -l <<<"$data")" = 1 ] || fail "the incremental backup holds more than the changed clusters: $data"
qemu-img rebase -u -F qcow2 -b "$work/full.qcow2" "$work/inc.qcow2"
qemu-img compare -U "$work/inc.qcow2" "$work/dtop.qcow2" >/dev/null || fail "full + incremental differ from the disk"
pass "the full backup with the incremental one over it equals the guest's disk"
v checkpoint-create-as vm4 c-empty >/dev/null || fail "checkpoint c-empty"
cat > "$work/empty.xml" <<XML
<domainbackup mode='push'><incremental>c-empty</incremental><disks><disk name='vda' type='file'><target file='$work/empty.qcow2'/><driver type='qcow2'/></disk></disks></domainbackup>
XML
expect "an incremental backup with (almost) nothing to copy" "$(v backup-begin vm4 "$work/empty.xml" 2>&1)" "Backup started"
empty_done() { ! v domjobinfo vm4 | grep -q "Unbounded"; }
await 30 "the short backup to end (its jobs may conclude before backup-begin returns)" empty_done
expect "and its checkpoint's deletion" "$(v checkpoint-delete vm4 c-empty 2>&1)" "Domain checkpoint c-empty deleted"
cat > "$work/pull.xml" <<XML
<domainbackup mode='pull'><incremental>c1</incremental><server transport='unix' socket='$work/nbd.sock'/><disks><disk name='vda' type='file'><scratch file='$work/scratch.qcow2'/></disk></disks></domainbackup>
XML
expect "pull-mode backup-begin" "$(v backup-begin vm4 "$work/pull.xml" 2>&1)" "Backup started"
expect "backup-dumpxml names the export and its bitmap" "$(v backup-dumpxml vm4)" \
  "<disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c1' exportname='vda' exportbitmap='backup-vda'>"
expect "domjobinfo shows the running pull backup" "$(v domjobinfo vm4)" "Job type: +Unbounded"
qemu-img convert -f raw -O qcow2 "nbd+unix:///vda?socket=$work/nbd.sock" "$work/pulled.qcow2" || fail "NBD read"
qemu-img compare -U "$work/pulled.qcow2" "$work/dtop.qcow2" >/dev/null || fail "the NBD export differs from the disk"
pass "the NBD export over the unix socket reads as the disk"
dirty=$(qemu-img map --output=json --image-opts \
  "driver=nbd,export=vda,server.type=unix,server.path=$work/nbd.sock,x-dirty-bitmap=qemu:dirty-bitmap:backup-vda" \
  | grep '"data": false')
expect "the exported bitmap marks just the clusters written since c1" "$dirty" '"start": 19660800, "length": 196608,'
[ "$(wc -l <<<"$dirty")" = 1 ] || fail "more is dirty than the guest wrote: $dirty"
expect "a checkpoint beside the running backup's filter" "$(v checkpoint-create-as vm4 c2 2>&1)" \
  "Domain checkpoint c2 created"
expect "and its deletion" "$(v checkpoint-delete vm4 c2 2>&1)" "Domain checkpoint c2 deleted"
v domjobabort vm4 >/dev/null || fail "domjobabort"
expect "domjobabort ends the pull backup" "$(v backup-dumpxml vm4 2>&1 || true)" \
  "Domain backup job id not found: no domain backup job present"
[ ! -e "$work/scratch.qcow2" ] || fail "the scratch image was left behind"
pass "the scratch image is removed"
expect "checkpoint-delete" "$(v checkpoint-delete vm4 c0 2>&1)" "Domain checkpoint c0 deleted"
expect "the child of a deleted checkpoint becomes a root" "$(v checkpoint-parent vm4 c1 2>&1 || true)" \
  "checkpoint 'c1' has no parent"
v destroy vm4 >/dev/null
stop_daemon

# ---- the same through the virt shell, in a foreground daemon that stops at the end of its input
chain c
domain_xml vm3 "$work/ctop.qcow2" > "$work/vm3.xml"
cat > "$work/full3.xml" <<XML
<domainbackup mode='push'><disks><disk name='vda' type='file'><target file='$work/full3.qcow2'/></disk></disks></domainbackup>
XML
echo "<domaincheckpoint><name>s2</name></domaincheckpoint>" > "$work/s2.xml"
out=$(printf '%s\n' "virt:connect qemu:///system" "virt:define $work/vm3.xml" "virt:start vm3" "virt:blockresize vm3 vda 80M" \
  "virt:domblkinfo vm3 vda" "virt:blockjob vm3 vda --info" "virt:blockcommit --top 'vda[2]' --wait vm3 vda" \
  "virt:blockcommit --active --pivot --wait --verbose vm3 vda" "virt:dumpxml vm3" \
  "virt:blockcopy --transient-job --bandwidth 1 vm3 vda $work/cslow.qcow2" "virt:blockjob --bandwidth 2 vm3 vda" \
  "virt:blockjob --info vm3 vda" "virt:blockjob --abort vm3 vda" "virt:blockjob --info vm3 vda" \
  "virt:checkpoint-create-as --description one vm3 s1" "virt:backup-begin vm3 $work/full3.xml $work/s2.xml" \
  "virt:checkpoint-list --parent vm3" "virt:checkpoint-dumpxml --no-domain vm3 s2" "virt:checkpoint-parent vm3 s2" \
  "virt:backup-dumpxml vm3" "virt:domjobinfo --completed vm3" "virt:checkpoint-delete vm3 s1" \
  "virt:checkpoint-list --name vm3" "virt:destroy vm3" | timeout 120 "$jvirtd" --root "$work/shellroot" 2>&1)
expect "virt:blockresize" "$out" "Block device 'vda' is resized"
expect "virt:domblkinfo shows the new size" "$out" "Capacity: +83886080"
expect "virt:blockjob --info without a job" "$out" "No current block job for vda"
expect "virt:blockcommit of an inner layer" "$out" "Commit complete"
expect "virt:blockcommit --verbose shows the progress" "$out" "Block commit: \[100 %\]"
expect "virt:blockcommit --active --pivot" "$out" "Successfully pivoted"
expect "the shell's chain is one file" "$(tr -d '\r\n' <<<"$out" | tr -s ' ')" \
  "<source file='$work/cbase.qcow2' index='1'/> <backingStore/> <target"
expect "virt:blockcopy starts" "$out" "Block Copy started"
expect "virt:blockjob --info shows the copy and its new bandwidth" "$out" \
  "Block Copy: \[ *[0-9]+ %\]"$'\n'"    Bandwidth limit: 2097152 bytes/s \(2.000 MiB/s\)"
[ "$(grep -c "No current block job for vda" <<<"$out")" = 2 ] || { echo "$out" >&2; fail "virt:blockjob --abort left a job"; }
pass "virt:blockjob --abort ends the job"
expect "virt:checkpoint-create-as" "$out" "Domain checkpoint s1 created"
expect "virt:backup-begin" "$out" "Backup started"
expect "virt:checkpoint-list --parent" "$out" " s2 +[0-9-]+ [0-9:]+ [+0-9]+ +s1"
expect "virt:checkpoint-dumpxml --no-domain" "$out" "<disk name='vda' checkpoint='bitmap' bitmap='s2'/>"
expect "virt:checkpoint-parent" "$out" "jvirtd> s1"
expect "virt:domjobinfo --completed answers (the backup may still run)" "$out" "Job type: +(Completed|None)"
expect "virt:checkpoint-delete" "$out" "Domain checkpoint s1 deleted"
if grep -qE "Job type: +Completed" <<<"$out"; then
  all_data_in "$work/full3.qcow2" || fail "the shell's backup lacks data"
  pass "the shell's backup holds all the data"
fi
all_data_in "$work/cbase.qcow2" || fail "the shell's commit lost data"
pass "the shell's commit kept all the data"
echo "BLOCK: all checks passed"
