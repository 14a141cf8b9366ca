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

[ "$failures" = 0 ] || { echo "XEN FAIL: $failures checks failed" >&2; exit 1; }
echo "XEN: all checks passed"
