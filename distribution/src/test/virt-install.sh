#!/usr/bin/env bash
# The real virt-install (Debian virtinst) against the assembled daemon under TCG, with the options of
# issue 13: --import --disk D.qcow2 --osinfo detect=on,require=off --virt-type qemu --graphics none
# --network none. virt-install picks its defaults from jvirtd's capabilities and domain capabilities, so
# the checks are that it picks what it picks under libvirtd 9.0 (the default machine type is the
# capabilities' first, the canonical name of "pc"), that the ICH9 USB2 set it asks for is one bus, and that
# the guest runs: the default command's guest stays running, and the same command with the shared
# fixtures' tiny kernel (--boot kernel=...) boots to GUEST-READY and powers off on ACPI. With --machine q35
# --boot uefi the firmware is chosen from the descriptors as libvirt chooses it, and the tiny kernel boots
# under OVMF.
# With PEER_URI set (a libvirtd 9.0, e.g. from ../shared/tools/peer-libvirtd.sh uri) the default and the
# UEFI command also run there and each inactive dumpxml must equal libvirtd's (UUID and disk path aside).
# Usage: virt-install.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR. Skips when QEMU or virt-install is missing.
set -euo pipefail

for tool in qemu-system-x86_64 qemu-img virt-install; do
  if ! command -v "$tool" >/dev/null; then
    echo "VIRT-INSTALL SKIP: $tool is not installed"
    exit 0
  fi
done
guest=$(readlink -m "$2")
if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
  "$3/fixtures/make-vm-guest.sh" "$guest" >&2
fi
work=$(mktemp -d /tmp/jvirtd-vinst.XXXXXX)
chmod 755 "$work"   # swtpm runs as qemu.conf's swtpm_user (tss) for the TPM virt-install adds: the daemon's root must be traversable, as /var is
dist=$(readlink -f "$1")   # run in place: each --root instance has its own Felix cache
root=$work/root
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
peer_names=()
cleanup() {
  for name in "${peer_names[@]}"; do
    virsh -q -c "$PEER_URI" destroy "$name" >/dev/null 2>&1 || true
    virsh -q -c "$PEER_URI" undefine --nvram "$name" >/dev/null 2>&1 || true
  done
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "VIRT-INSTALL FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "VIRT-INSTALL PASS: $*"; }
v() { timeout 60 virsh -q -c "$uri" "$@"; }
expect() { grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }; pass "$1"; }
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}
# The command of issue 13, on connection $1 for domain $2 with disk $3, plus any further options.
install() {
  local conn=$1 name=$2 disk=$3; shift 3
  timeout 120 virt-install --connect "$conn" --name "$name" --memory 128 --import --disk "$disk" \
    --osinfo detect=on,require=off --virt-type qemu --graphics none --network none --noautoconsole "$@"
}
qemu_alive() { # qemu_alive NAME: the QEMU process the daemon started for NAME still runs
  local pid
  pid=$(cat "$root"/run/jvirtd/qemu/domain-*-"$1"/qemu.pid 2>/dev/null | head -n 1)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"

caps=$(v capabilities)
pc=$(sed -n "s/.*<machine canonical='\([^']*\)'[^>]*>pc<.*/\1/p" <<<"$caps")
[ -n "$pc" ] || { echo "$caps" >&2; fail "capabilities name no canonical machine type for pc"; }
first=$(grep -m1 -o "<machine maxCpus='[0-9]*'>[^<]*<" <<<"$caps" | sed "s/.*>\(.*\)</\1/")
[ "$first" = "$pc" ] || fail "the first machine type is $first, not the default $pc"
pass "capabilities list the default machine type $pc first, with pc as its alias"
expect "domain capabilities name the default machine type" "$(v domcapabilities --virttype qemu)" \
  "<machine>$pc</machine>"

qemu-img create -q -f qcow2 "$work/default.qcow2" 64M
printed=$(install "$uri" vi-default "$work/default.qcow2" --print-xml) || fail "virt-install --print-xml"
expect "virt-install picks the default machine type" "$printed" "machine=\"$pc\""
expect "virt-install asks for the ICH9 USB2 set" "$printed" 'model="ich9-uhci3"'

install "$uri" vi-default "$work/default.qcow2" >"$work/default.out" 2>&1 \
  || { cat "$work/default.out" >&2; fail "virt-install of the default guest"; }
expect "virt-install completes" "$(cat "$work/default.out")" 'Domain creation completed'
sleep 3
expect "the default guest runs" "$(v domstate vi-default)" '^running$'
qemu_alive vi-default || fail "the default guest's QEMU is gone"
pass "the default guest's QEMU still runs 3 s later"
xml=$(v dumpxml --inactive vi-default)
expect "the stored machine type is the canonical one" "$xml" "machine='$pc'"
[ "$(grep -c "<controller type='usb' index='0' model='ich9-" <<<"$xml")" = 4 ] \
  || { echo "$xml" >&2; fail "the USB2 set is not one controller index"; }
pass "the ICH9 EHCI and its three UHCI companions share index 0"
expect "dominfo names libvirt's security driver" "$(v dominfo vi-default)" 'Security model: none'
v destroy vi-default >/dev/null || fail "destroy vi-default"
# the command line a start would run, as libvirt prints it: one line, environment first, -S
native=$(v domxml-to-native qemu-argv --domain vi-default) || fail "domxml-to-native qemu-argv --domain vi-default"
[ "$(printf '%s\n' "$native" | sed '/^$/d' | wc -l)" = 1 ] || { echo "$native" >&2; fail "domxml-to-native: not one line"; }
expect "domxml-to-native gives the command line a start runs" "$native" \
  "^LC_ALL=C PATH=[^ ]* HOME=[^ ]*/domain--1-vi-default .* /usr/bin/qemu-system-x86_64 -name guest=vi-default,debug-threads=on -S .*-machine $pc,"
expect "domxml-from-native qemu-argv is not supported, as under libvirtd" \
  "$(v domxml-from-native qemu-argv <(echo "$native") 2>&1 || true)" \
  'this function is not supported by the connection driver: virConnectDomainXMLFromNative'

qemu-img create -q -f qcow2 "$work/kernel.qcow2" 64M
install "$uri" vi-kernel "$work/kernel.qcow2" \
  --boot "kernel=$guest/vmlinuz,initrd=$guest/initrd.img,kernel_args=console=ttyS0 fixture.net=off" \
  --serial "file,path=$work/console.log" >"$work/kernel.out" 2>&1 \
  || { cat "$work/kernel.out" >&2; fail "virt-install of the tiny kernel"; }
await 90 "GUEST-READY from the guest virt-install made" grep -q GUEST-READY "$work/console.log"
pass "the guest virt-install defined boots under TCG"
v shutdown vi-kernel >/dev/null || fail "shutdown vi-kernel"
await 60 "vi-kernel to power off" bash -c "[ \"\$(virsh -q -c '$uri' domstate vi-kernel)\" = 'shut off' ]"
grep -q GUEST-POWEROFF "$work/console.log" || fail "the guest did not see the power button"
pass "the guest powers off on ACPI"

# --machine q35 --boot uefi: the firmware is chosen at start as libvirt chooses it, the first descriptor
# for the machine type (domain capabilities list the loaders in that order), with its NVRAM and SMM.
domcaps=$(v domcapabilities --virttype qemu --machine q35)
loader=$(grep -m1 -o '<value>/[^<]*</value>' <<<"$domcaps" | sed 's#</*value>##g')
if [ -z "$loader" ]; then
  echo "VIRT-INSTALL SKIP: no UEFI firmware descriptors (Debian package ovmf) for the UEFI guests"
else
  qemu-img create -q -f qcow2 "$work/uefi.qcow2" 64M
  install "$uri" vi-uefi "$work/uefi.qcow2" --machine q35 --boot uefi >"$work/uefi.out" 2>&1 \
    || { cat "$work/uefi.out" >&2; fail "virt-install --machine q35 --boot uefi"; }
  sleep 3
  expect "the UEFI guest runs" "$(v domstate vi-uefi)" '^running$'
  qemu_alive vi-uefi || fail "the UEFI guest's QEMU is gone"
  live=$(v dumpxml vi-uefi)
  expect "the first firmware for q35 is loaded" "$live" "<loader readonly='yes'( secure='yes')? type='pflash'>$loader</loader>"
  nvram=$(sed -n "s#.*<nvram template='[^']*'>\([^<]*\)</nvram>.*#\1#p" <<<"$live")
  [ -s "$nvram" ] || { echo "$live" >&2; fail "no NVRAM file '$nvram' made from the template"; }
  pass "the NVRAM $nvram was made from its template"
  if grep -q "secure='yes'" <<<"$live"; then
    expect "secure-boot firmware runs with SMM" "$live" "<smm state='on'/>"
  fi
  inactive=$(v dumpxml --inactive vi-uefi)
  expect "the inactive definition keeps firmware='efi'" "$inactive" "<os firmware='efi'>"
  defined=$(grep -c "model='pcie-root-port'" <<<"$inactive" || true)
  pid=$(cat "$root"/run/jvirtd/qemu/domain-*-vi-uefi/qemu.pid)
  started=$(tr '\0' '\n' < "/proc/$pid/cmdline" | grep -c '"driver":"pcie-root-port"' || true)
  [ "$defined" -gt 0 ] && [ "$started" = "$defined" ] \
    || fail "QEMU got $started pcie-root-ports for the $defined virt-install defined"
  pass "QEMU gets the $defined pcie-root-ports virt-install defined, no more"
  v destroy vi-uefi >/dev/null || fail "destroy vi-uefi"

  # The tiny kernel under OVMF (secure boot off: its kernel is not signed for the enrolled keys).
  qemu-img create -q -f qcow2 "$work/uefi-kernel.qcow2" 64M
  install "$uri" vi-uefi-kernel "$work/uefi-kernel.qcow2" --memory 256 --machine q35 \
    --boot "uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=no,kernel=$guest/vmlinuz,initrd=$guest/initrd.img,kernel_args=console=ttyS0 fixture.net=off" \
    --serial "file,path=$work/uefi-console.log" >"$work/uefi-kernel.out" 2>&1 \
    || { cat "$work/uefi-kernel.out" >&2; fail "virt-install of the tiny kernel under UEFI"; }
  await 150 "GUEST-READY under OVMF" grep -q GUEST-READY "$work/uefi-console.log"
  pass "the tiny kernel boots under OVMF and TCG"
  v destroy vi-uefi-kernel >/dev/null || fail "destroy vi-uefi-kernel"
fi

if [ -n "${PEER_URI:-}" ]; then
  normalize() { sed -e '/<uuid>/d' -e 's#<source file=[^/]*/.*/#<source file=#' -e 's/jvirtd-vi-/vi-/'; }
  report() { # report NAME [OPTIONS...]: the same command on the peer, and the diff of the inactive dumpxml
    local name=$1; shift
    qemu-img create -q -f qcow2 "$work/peer-$name.qcow2" 64M
    peer_names+=("jvirtd-$name")
    install "$PEER_URI" "jvirtd-$name" "$work/peer-$name.qcow2" "$@" >/dev/null 2>&1 || fail "virt-install on the peer"
    virsh -q -c "$PEER_URI" dumpxml --inactive "jvirtd-$name" | normalize > "$work/peer.xml"
    v dumpxml --inactive "$name" | normalize > "$work/jvirtd.xml"
    diff "$work/peer.xml" "$work/jvirtd.xml" \
      || fail "$name: dumpxml --inactive differs, libvirtd (<) against jvirtd (>) above"
    pass "$name: dumpxml --inactive equals libvirtd's (UUID and disk path aside)"
  }
  report vi-default
  [ -z "$loader" ] || report vi-uefi --machine q35 --boot uefi
  # domxml-to-native of the same definitions: libvirtd's line, the daemons' PATH, state directory and TAP
  # descriptor numbers aside
  argv_normalize() { sed -E -e 's#PATH=[^ ]* #PATH=@PATH@ #' -e 's#/[^ ,"]*/(domain--1-|nvram/|channel/target/)#@STATE@/\1#g' \
    -e 's#"fd":"[0-9]+"#"fd":"@FD@"#g'; }
  qemu-img create -q -f qcow2 "$work/native.qcow2" 64M
  for opts in "" "--machine q35 --boot uefi"; do
    [ -z "$opts" ] || [ -n "$loader" ] || continue
    # shellcheck disable=SC2086
    install "$uri" vi-native "$work/native.qcow2" --print-xml $opts > "$work/native.xml" || fail "virt-install --print-xml $opts"
    virsh -q -c "$PEER_URI" domxml-to-native qemu-argv --xml "$work/native.xml" | argv_normalize > "$work/peer.argv"
    v domxml-to-native qemu-argv --xml "$work/native.xml" | argv_normalize > "$work/jvirtd.argv"
    diff "$work/peer.argv" "$work/jvirtd.argv" \
      || fail "domxml-to-native qemu-argv ${opts:-(defaults)} differs, libvirtd (<) against jvirtd (>)"
    pass "domxml-to-native qemu-argv ${opts:-(defaults)} equals libvirtd's"
  done
fi

kill -TERM "$(cat "$root/run/jvirtd.pid")"
echo "VIRT-INSTALL OK"
