#!/usr/bin/env bash
# cockpit-machines, the web interface libvirt users already use, against the assembled daemon: Debian's
# libvirt-dbus on a private D-Bus bus, cockpit-ws with a local cockpit-bridge session, and Debian's headless
# chromium driven by playwright-core from npm (cockpit/machines-page.js). The page lists two TCG guests
# of the shared fixtures, starts one, opens it, shows its usage, its VNC and serial consoles (a command
# typed into the guest's shell answers), shuts it down, starts it again and forces it off.
# Everything runs in a mount and network namespace of the test's own: only its loopback exists there, and
# /run/libvirt is the daemon's socket directory (libvirt-dbus opens the fixed URI qemu:///system, and
# cockpit's serial console runs `virsh -c qemu:///system console`). The host's buses are never used.
# playwright-core comes from npm's registry (its pinned version is cached in NPM_DIR); when the registry
# cannot be reached the test fails by name under CI=true and is skipped, saying so, elsewhere.
# Usage: cockpit-machines.sh DIST_DIR GUEST_CACHE_DIR SHARED_DIR NPM_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

playwright_version=1.61.1  # the newest that runs on Debian 12's Node.js 18
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != --inside ]; then
  need_programs COCKPIT qemu-system-x86_64 virsh libvirt-dbus dbus-daemon dbus-send node npm chromium curl \
    unshare ip || exit 0
  prerequisite COCKPIT "root (namespaces and mounts)" test "$(id -u)" = 0 || exit 0
  prerequisite COCKPIT "cockpit-ws (/usr/lib/cockpit/cockpit-ws)" test -x /usr/lib/cockpit/cockpit-ws || exit 0
  need_programs COCKPIT cockpit-bridge || exit 0
  prerequisite COCKPIT "cockpit-machines (/usr/share/cockpit/machines)" \
    test -s /usr/share/cockpit/machines/manifest.json || exit 0
  npm_dir=$(readlink -m "$4")
  playwright=$npm_dir/node_modules/playwright-core
  if ! grep -qs "\"version\": \"$playwright_version\"" "$playwright/package.json"; then
    if ! timeout 60 npm view "playwright-core@$playwright_version" version >/dev/null 2>&1; then
      if [ -n "${CI:-}" ]; then
        echo "COCKPIT FAIL: npm's registry ($(npm config get registry)) cannot be reached: playwright-core" \
          "$playwright_version cannot be installed" >&2
        exit 1
      fi
      echo "COCKPIT SKIP: npm's registry ($(npm config get registry)) cannot be reached: playwright-core" \
        "$playwright_version cannot be installed, so cockpit-machines is not tested"
      exit 0
    fi
    mkdir -p "$npm_dir"
    timeout 300 npm install --no-audit --no-fund --no-save --prefix "$npm_dir" \
      "playwright-core@$playwright_version" >&2 || { echo "COCKPIT FAIL: npm install playwright-core" >&2; exit 1; }
  fi
  guest=$(readlink -m "$2")
  if [ ! -s "$guest/vmlinuz" ] || [ ! -s "$guest/initrd.img" ]; then
    "$3/fixtures/make-vm-guest.sh" "$guest" >&2
  fi
  # The mount point of the daemon's socket directory, empty on the host (as the peer libvirtd makes it)
  mkdir -p /run/libvirt
  exec unshare --mount --net --propagation private bash "$0" --inside "$(readlink -f "$1")" "$guest" "$playwright"
fi

# Inside the namespaces
dist=$2 guest=$3 playwright=$4
work=$(mktemp -d /tmp/jvirtd-cockpit.XXXXXX)
root=$work/root
bus=$work/bus
pids=()
cleanup() {
  local pid f
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  for f in "$root"/run/jvirtd/qemu/*/qemu.pid; do
    [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "COCKPIT FAIL: $*" >&2
  grep -v -E 'handle|^$' "$work/libvirt-dbus.log" | tail -n 30 >&2 || true
  tail -n 30 "$work/cockpit-ws.log" "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true
  exit 1
}
pass() { echo "COCKPIT PASS: $*"; }
name_owned() {
  dbus-send --bus="unix:path=$bus" --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.libvirt | grep -q 'boolean true'
}
await() { # await SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

ip link set lo up
"$dist/bin/jvirtd" -d --root "$root" || fail "the daemon did not start"
mount --bind "$root/run/libvirt" /run/libvirt
for name in vm1 vm2; do
  cat > "$work/$name.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>128</memory>
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
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
  </devices>
</domain>
XML
  virsh -q -c qemu:///system define "$work/$name.xml" >/dev/null || fail "define $name through /run/libvirt"
done
pass "two guests defined through qemu:///system, which is the daemon in this namespace"

dbus-daemon --session --address="unix:path=$bus" --nofork --nopidfile >"$work/dbus.log" 2>&1 &
pids+=($!)
await 20 "the private bus" test -S "$bus"
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$bus DBUS_SESSION_BUS_ADDRESS=unix:path=$bus
G_MESSAGES_DEBUG=all libvirt-dbus --system >"$work/libvirt-dbus.log" 2>&1 &
pids+=($!)
await 20 "libvirt-dbus to own org.libvirt" name_owned
pass "libvirt-dbus serves org.libvirt on the private bus"
port=9090
/usr/lib/cockpit/cockpit-ws --local-session="$(command -v cockpit-bridge)" --address 127.0.0.1 --port $port \
  >"$work/cockpit-ws.log" 2>&1 &
pids+=($!)
await 20 "cockpit-ws on 127.0.0.1:$port" curl -s -o /dev/null "http://127.0.0.1:$port/"
pass "cockpit-ws answers on 127.0.0.1:$port"

HOME=$work XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache timeout 600 node "$here/cockpit/machines-page.js" \
  "$playwright" "$(command -v chromium)" "http://127.0.0.1:$port/cockpit/@localhost/machines/index.html" vm1 vm2 \
  >"$work/page.log" 2>&1 || { cat "$work/page.log"; fail "the machines page (see the steps above)"; }
grep -E '^COCKPIT PASS' "$work/page.log"
# libvirt-dbus reports the daemon's errors it met
if grep -E 'not supported by the connection driver' "$work/libvirt-dbus.log"; then
  fail "libvirt-dbus met a procedure the daemon does not answer"
fi
pass "libvirt-dbus met no unanswered procedure"
echo "COCKPIT OK"
