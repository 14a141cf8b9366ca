#!/usr/bin/env bash
# LUKS volumes and a guest reading one, end to end through the real virsh on qemu:///system: a private secret of
# volume usage with a passphrase; a dir pool; vol-create of a LUKS volume (qemu-img gets the passphrase encrypted
# under a key on its standard input); vol-dumpxml and vol-info as libvirt 9.0 shows it; vol-create-from of a raw
# volume holding a marker into a LUKS copy (the marker only encrypted on disk); the shared fixtures' tiny guest
# under TCG with that copy as its second disk reads the marker from /dev/vdb on its serial shell (QEMU gets the
# passphrase as a secret object encrypted under the domain's master key); no file under the daemon's root or the
# pool, nor QEMU's command line or environment, holds the passphrase in clear or base64; vol-wipe and vol-delete.
# Usage: luks-volumes.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Needs qemu-system-x86_64, qemu-img, virsh.
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs LUKS qemu-system-x86_64 qemu-img virsh || exit 0
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-luks.XXXXXX)
dist=$(readlink -f "$1")
root=$work/root
pool=$work/pool
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
  echo "LUKS FAIL: $*" >&2
  tail -n 30 "$root/var/log/jvirtd/jvirtd.log" "$work/vm.console" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "LUKS PASS: $*"; }
v() { timeout 300 virsh -c "$uri" "$@"; }
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

passphrase="luks-e2e-passphrase-$RANDOM$RANDOM"
passphrase_b64=$(printf '%s' "$passphrase" | base64)
uuid=5e1c3a70-6b2d-4c1e-9a8f-0d4b7e2c9f11
"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"

cat > "$work/secret.xml" <<XML
<secret ephemeral='no' private='yes'>
  <uuid>$uuid</uuid>
  <usage type='volume'><volume>$pool/enc.img</volume></usage>
</secret>
XML
v secret-define "$work/secret.xml" >/dev/null || fail "secret-define"
# virsh reads the value from a file, base64 unless --plain; the file is removed at once
printf '%s' "$passphrase_b64" > "$work/value"
v secret-set-value "$uuid" --file "$work/value" >/dev/null || fail "secret-set-value"
rm -f "$work/value"
expect "a private secret's value is not given to clients" "$(v secret-get-value "$uuid" 2>&1 || true)" \
  "error: Invalid secret: secret is private"

v pool-define-as luks dir --target "$pool" >/dev/null && v pool-build luks >/dev/null && v pool-start luks >/dev/null \
  || fail "a dir pool"
luks_volume() { # luks_volume NAME CAPACITY
  cat <<XML
<volume>
  <name>$1</name>
  <capacity unit='M'>$2</capacity>
  <target>
    <format type='raw'/>
    <encryption format='luks'>
      <secret type='passphrase' uuid='$uuid'/>
    </encryption>
  </target>
</volume>
XML
}
luks_volume new.img 16 > "$work/new.xml"
expect "vol-create of a LUKS volume" "$(v vol-create luks "$work/new.xml" 2>&1)" "Vol new.img created"
expect "qemu-img sees a LUKS image" "$(qemu-img info "$pool/new.img")" "file format: luks"
expect "vol-info shows the payload as capacity" "$(v vol-info new.img --pool luks)" "Capacity: +16.00 MiB"
xml=$(v vol-dumpxml new.img --pool luks | tr -d '\n' | tr -s ' ')
expect "vol-dumpxml: raw with libvirt's <encryption>" "$xml" \
  "<format type='raw'/>.*<encryption format='luks'> <secret type='passphrase' uuid='$uuid'/> </encryption>"

v vol-create-as luks plain.img 4M --format raw >/dev/null || fail "vol-create-as plain.img"
printf 'LUKSMARKER123456' | dd of="$pool/plain.img" conv=notrunc status=none
luks_volume enc.img 4 > "$work/enc.xml"
expect "vol-create-from encrypts a copy of the raw volume" \
  "$(v vol-create-from luks "$work/enc.xml" --inputpool luks plain.img 2>&1)" "Vol enc.img created from input vol plain.img"
if grep -q LUKSMARKER123456 "$pool/enc.img"; then fail "the LUKS copy holds the marker in clear"; fi
pass "the copy holds the marker encrypted only"
v pool-refresh luks >/dev/null
expect "after a refresh, a LUKS volume names the secret whose usage is its path" \
  "$(v vol-dumpxml enc.img --pool luks | tr -d '\n' | tr -s ' ')" \
  "<capacity unit='bytes'>4194304</capacity>.*<encryption format='luks'> <secret type='passphrase' uuid='$uuid'/>"
expect "and one with no such secret shows its format only, as libvirt 9.0" \
  "$(v vol-dumpxml new.img --pool luks | tr -d '\n' | tr -s ' ')" \
  "<capacity unit='bytes'>16777216</capacity>.*<encryption format='luks'> </encryption>"

cat > "$work/vm.xml" <<XML
<domain type='qemu'>
  <name>lukvm</name>
  <memory unit='MiB'>160</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 fixture.net=off fixture.shell=1</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$pool/plain.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$pool/enc.img'>
        <encryption format='luks'>
          <secret type='passphrase' uuid='$uuid'/>
        </encryption>
      </source>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <serial type='pty'><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
v define "$work/vm.xml" >/dev/null || fail "define lukvm"
expect "dumpxml fills in engine='qemu'" "$(v dumpxml lukvm | tr -d '\n' | tr -s ' ')" \
  "<encryption format='luks' engine='qemu'> <secret type='passphrase' uuid='$uuid'/>"
native=$(v domxml-to-native qemu-argv --domain lukvm)
expect "domxml-to-native: the passphrase as a secret object under masterKey0" "$native" \
  "'\{\"qom-type\":\"secret\",\"id\":\"libvirt-1-format-encryption-secret0\",\"data\":\"[A-Za-z0-9+/=]+\",\"keyid\":\"masterKey0\",\"iv\":\"[A-Za-z0-9+/=]+\",\"format\":\"base64\"\}' -blockdev"
expect "domxml-to-native: a luks format node" "$native" \
  "\"driver\":\"luks\",\"key-secret\":\"libvirt-1-format-encryption-secret0\",\"file\":\"libvirt-1-storage\""
v start lukvm >/dev/null || fail "start lukvm"
pts=$(v dumpxml lukvm | grep -o "/dev/pts/[0-9]*" | head -n 1)
[ -n "$pts" ] || fail "lukvm has no serial pty"
stty -F "$pts" raw -echo
: > "$work/vm.console"
cat "$pts" > "$work/vm.console" &
watchers+=($!)
console_shows() { grep -aq "$1" "$work/vm.console"; }
await 180 "the guest's GUEST-READY" console_shows GUEST-READY
# the guest prints the marker in lower case: the typed command line does not hold what is awaited
reads_marker() {
  printf 'head -c 16 /dev/vdb | tr A-Z a-z; echo\n' > "$pts"
  sleep 2
  console_shows luksmarker123456
}
await 120 "the guest to read the marker from /dev/vdb" reads_marker
pass "the guest reads the marker through the LUKS layer"

qpid=$(cat "$root"/run/jvirtd/qemu/domain-*-lukvm/qemu.pid | tail -n 1)
[ -n "$qpid" ] && [ -r "/proc/$qpid/cmdline" ] || fail "no QEMU process"
cmdline=$(tr '\0' '\n' < "/proc/$qpid/cmdline")
expect "QEMU's command line has the encrypted secret object" "$cmdline" '"keyid":"masterKey0"'
leaks=$( { grep -rlaF -e "$passphrase" -e "$passphrase_b64" "$root" "$pool" 2>/dev/null || true;
  for f in cmdline environ; do grep -laF -e "$passphrase" -e "$passphrase_b64" "/proc/$qpid/$f" 2>/dev/null || true; done; } )
[ -z "$leaks" ] || fail "the passphrase is in clear in: $leaks"
pass "no file under the daemon's root or the pool, nor QEMU's command line or environment, holds the passphrase"
expect "the secret's value file is encrypted" "$(ls "$root/etc/jvirtd/secrets/")" "$uuid.aes256cbc"

for pid in "${watchers[@]}"; do kill "$pid" 2>/dev/null || true; done
watchers=()
v destroy lukvm >/dev/null || fail "destroy"
v undefine lukvm >/dev/null || fail "undefine"
expect "vol-wipe" "$(v vol-wipe enc.img --pool luks 2>&1)" "Vol enc.img wiped"
if [ "$(head -c 6 "$pool/enc.img" | od -An -tx1 | tr -d ' \n')" != 000000000000 ]; then
  fail "the LUKS header is still there after the wipe"
fi
pass "the wipe zeroed the LUKS header"
expect "vol-delete" "$(v vol-delete enc.img --pool luks 2>&1)" "Vol enc.img deleted"
[ ! -e "$pool/enc.img" ] || fail "enc.img is still there"
pass "done"
