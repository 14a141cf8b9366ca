#!/usr/bin/env bash
# The assembled daemon with auth_unix_rw = auth_unix_ro = "polkit" asking the real polkitd: a private D-Bus
# system bus (DBUS_SYSTEM_BUS_ADDRESS for the daemon), polkitd in a mount namespace of its own with this
# test's rules.d (the Gentoo notes' group rule) and jvirtd's action file over the system's. A group member
# manages, an outsider only monitors, root needs no check. Root only (users, mounts).
# Usage: polkit-virsh.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"
. "$(dirname "$0")/polkit-bus.sh"

need_programs POLKIT virsh dbus-daemon dbus-send unshare runuser useradd || exit 0
prerequisite POLKIT "root (users and mounts)" test "$(id -u)" = 0 || exit 0
prerequisite POLKIT "polkitd (/usr/lib/polkit-1/polkitd)" test -x /usr/lib/polkit-1/polkitd || exit 0
dist=$(readlink -f "$1")
work=$(mktemp -d /tmp/jvirtd-polkit.XXXXXX)
chmod 755 "$work"
root=$work/root
suffix=$$
group=jvpg$suffix member=jvpm$suffix outsider=jvpo$suffix
bus_pid="" polkitd_pid=""
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  [ -z "$polkitd_pid" ] || kill "$polkitd_pid" 2>/dev/null || true
  [ -z "$bus_pid" ] || kill "$bus_pid" 2>/dev/null || true
  userdel "$member" 2>/dev/null || true
  userdel "$outsider" 2>/dev/null || true
  groupdel "$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "POLKIT FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "POLKIT PASS: $*"; }

groupadd "$group"
useradd -M -N -G "$group" "$member"
useradd -M -N "$outsider"
mkdir -p "$work/rules.d" "$work/actions"
cp "$dist/share/polkit-1/actions/org.libvirt.unix.policy" "$work/actions/"
cat > "$work/rules.d/50-libvirt.rules" <<RULES
polkit.addRule(function(action, subject) {
    if (action.id == "org.libvirt.unix.manage" && subject.isInGroup("$group")) {
        return polkit.Result.YES;
    }
});
RULES
start_private_polkit

printf 'auth_unix_rw = "polkit"\nauth_unix_ro = "polkit"\nunix_sock_rw_perms = "0777"\n' > "$work/jvirtd.conf"
"$dist/bin/jvirtd" -d -f "$work/jvirtd.conf" --root "$root" || fail "the daemon did not start with auth_unix_rw = polkit"
chmod 755 "$root" "$root/run" "$root/run/libvirt" 2>/dev/null || true
rw="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
ro="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock-ro"
as() { local user=$1; shift; runuser -u "$user" -- env HOME=/tmp LC_ALL=C "$@"; }

out=$(as "$member" timeout 30 virsh -c "$rw" hostname 2>&1) || fail "a member of $group on the read-write socket: $out"
pass "a member of the rule's group manages (org.libvirt.unix.manage granted by the rule)"
if out=$(as "$outsider" timeout 30 virsh -c "$rw" hostname 2>&1); then
  fail "an outsider was let manage"
fi
grep -q "error: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'" \
  <<<"$out" || fail "the outsider's refusal printed: $out"
pass "an outsider is refused management with libvirtd's polkit error"
out=$(as "$outsider" timeout 30 virsh -c "$ro" hostname 2>&1) || fail "an outsider on the read-only socket: $out"
pass "an outsider monitors through the read-only socket (org.libvirt.unix.monitor)"
out=$(timeout 30 virsh -c "$rw" hostname 2>&1) || fail "root: $out"
pass "root needs no polkit check"
kill -TERM "$(cat "$root/run/jvirtd.pid")"
echo "POLKIT OK"
