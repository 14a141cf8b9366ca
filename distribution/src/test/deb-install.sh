#!/usr/bin/env bash
# The Debian package, installed for real: dpkg -i into a scratch root (dpkg --root, its maintainer scripts
# run without chroot and with DPKG_ROOT, so nothing of this host is touched). Checks the layout, the
# conffiles, the jvirtd group and the enabled units; runs the daemon from the installed tree with --root
# at the scratch root (the jvirtd group of the scratch root's /etc/group, bound over /etc/group in a
# private mount namespace) and talks to it with virsh, as a member of the group and as a stranger;
# keeps a changed conffile over a reinstall; removes and purges; lintian finds no error or warning.
# Usage: deb-install.sh TARGET_DIR
# (the folder holding the one jvirtd_VERSION_all.deb the build made)
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

debs=("$(readlink -f "$1")"/jvirtd_*_all.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || { echo "DEB FAIL: want one jvirtd_*_all.deb in $1: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
need_programs DEB dpkg dpkg-query virsh unshare mount setpriv groupadd || exit 0
prerequisite DEB "root (dpkg into a scratch root, a bind mount)" test "$(id -u)" = 0 || exit 0
work=$(mktemp -d /tmp/jvirtd-deb.XXXXXX)
root=$work/root
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "DEB FAIL: $*" >&2; exit 1; }
pass() { echo "DEB PASS: $*"; }
dpkg_root() { dpkg --root="$root" --force-script-chrootless --force-depends "$@"; }
mode() { stat -c %a "$root$1"; }

# A scratch root: an empty dpkg database and the group files groupadd writes to.
chmod 755 "$work"
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
echo 'root:x:0:' > "$root/etc/group"
echo 'root:*::' > "$root/etc/gshadow"
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
host_group=$(sha256sum /etc/group)

dpkg_root -i "$deb" > "$work/install.out" 2>&1 || fail "dpkg -i: $(cat "$work/install.out")"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' jvirtd | grep -q 'install ok installed' \
  || fail "jvirtd not installed: $(cat "$work/install.out")"
pass "dpkg -i installs $(basename "$deb") into a scratch root"

if need_programs DEB lintian; then
  lintian --fail-on error,warning --tag-display-limit 0 "$deb" > "$work/lintian.out" 2>&1 \
    || fail "lintian: $(grep -v 'root privileges' "$work/lintian.out")"
  pass "lintian: no errors or warnings (besides the package's overrides)"
fi

for f in /usr/lib/jvirtd/bin/jvirtd.jar /usr/lib/jvirtd/bin/felix.jar /usr/lib/jvirtd/conf/config.properties \
         /usr/lib/jvirtd/bundle/jvirtd-core.jar /usr/lib/jvirtd/shell/org.apache.felix.gogo.jline.jar \
         /usr/lib/jvirtd/etc/gosh_profile /etc/jvirtd/jvirtd.conf /etc/default/jvirtd /etc/default/jvirtd-guests \
         /lib/systemd/system/jvirtd.service /lib/systemd/system/jvirtd-guests.service \
         /usr/lib/tmpfiles.d/jvirtd.conf /usr/share/man/man8/jvirtd.8.gz /usr/share/doc/jvirtd/copyright \
         /var/lib/jvirtd/load/README; do
  [ -f "$root$f" ] || fail "missing $f"
done
for f in /usr/sbin/jvirtd /usr/sbin/jvirtd-guests /usr/sbin/jvirtd-shell /usr/lib/jvirtd/bin/jvirtd \
         /usr/lib/jvirtd/bin/jvirtd-guests /usr/lib/jvirtd/bin/jvirtd-shell; do
  [ -x "$root$f" ] || fail "$f is not executable"
done
[ "$(readlink -f "$root/usr/sbin/jvirtd")" = "$root/usr/lib/jvirtd/bin/jvirtd" ] || fail "/usr/sbin/jvirtd link"
[ "$(readlink -f "$root/usr/lib/jvirtd/load")" = "$root/var/lib/jvirtd/load" ] || fail "load/ is not /var/lib/jvirtd/load"
[ -f "$root/usr/share/lintian/overrides/jvirtd" ] || fail "lintian overrides"
[ "$(mode /usr/lib/jvirtd/bin/jvirtd.jar)" = 644 ] || fail "jvirtd.jar mode $(mode /usr/lib/jvirtd/bin/jvirtd.jar)"
[ -d "$root/var/cache/jvirtd" ] && [ -d "$root/var/lib/jvirtd" ] || fail "state folders"
[ "$(mode /var/log/jvirtd)" = 700 ] || fail "/var/log/jvirtd mode $(mode /var/log/jvirtd)"
grep -q 'ExecStart=/usr/sbin/jvirtd \$JVIRTD_ARGS' "$root/lib/systemd/system/jvirtd.service" || fail "unit ExecStart"
! grep -rq /opt/jvirtd "$root/lib/systemd/system" || fail "units name /opt/jvirtd"
grep -q '^d /run/jvirtd ' "$root/usr/lib/tmpfiles.d/jvirtd.conf" || fail "tmpfiles.d entry for /run/jvirtd"
grep -q '^unix_sock_group = "jvirtd"' "$root/etc/jvirtd/jvirtd.conf" || fail "jvirtd.conf does not set the jvirtd group"
pass "layout: /usr/lib/jvirtd, /usr/sbin links, /etc/jvirtd, /var/lib, /var/cache, /var/log (0700), units, tmpfiles.d, man page"

conffiles=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}' jvirtd | awk '{print $1}' | sort | xargs)
[ "$conffiles" = "/etc/default/jvirtd /etc/default/jvirtd-guests /etc/jvirtd/jvirtd.conf" ] || fail "conffiles: $conffiles"
control=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conflicts}|${Depends}|${Recommends}' jvirtd)
[[ $control == libvirt-daemon-system\|*java17-runtime-headless*\|*qemu-system-x86* ]] \
  || fail "Conflicts|Depends|Recommends: $control"
pass "conffiles $conffiles; Conflicts with libvirt-daemon-system (the same socket paths)"

gid=$(awk -F: '$1 == "jvirtd" {print $3}' "$root/etc/group")
[ -n "$gid" ] || fail "postinst made no jvirtd group: $(cat "$root/etc/group")"
[ "$(sha256sum /etc/group)" = "$host_group" ] || fail "postinst changed the host's /etc/group"
if command -v systemctl >/dev/null; then
  [ -L "$root/etc/systemd/system/multi-user.target.wants/jvirtd.service" ] || fail "jvirtd.service not enabled"
fi
pass "postinst: jvirtd group (gid $gid) in the scratch root only, units enabled"

# The daemon from the installed tree; the scratch root is its --root (config, state, cache, sockets).
export root
unshare -m bash -c 'mount --bind "$root/etc/group" /etc/group && "$root/usr/sbin/jvirtd" -d --root "$root"' \
  || fail "jvirtd -d from the installed tree: $(tail -n 20 "$root/var/log/jvirtd/jvirtd.log" 2>/dev/null)"
sock=$root/run/libvirt/libvirt-sock
[ "$(stat -c %g "$sock")" = "$gid" ] || fail "libvirt-sock group $(stat -c %g "$sock"), want jvirtd ($gid)"
[ "$(stat -c %a "$sock")" = 770 ] || fail "libvirt-sock mode $(stat -c %a "$sock")"
uri="test+unix:///default?socket=$sock"
cat > "$work/vm.xml" <<'XML'
<domain type='test'><name>debvm</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>
XML
virsh -q -c "$uri" define "$work/vm.xml" >/dev/null || fail "virsh define"
virsh -q -c "$uri" list --all --name | grep -qx debvm || fail "virsh list"
[ -n "$(virsh -c "qemu+unix:///system?socket=$sock" hostname)" ] || fail "virsh hostname"
out=$("$root/usr/sbin/jvirtd-shell" --root "$root" -c lb) || fail "jvirtd-shell -c lb: $out"
grep -q '|Active *| *1|jvirtd core: ' <<<"$out" || fail "jvirtd-shell -c lb: $out"
[ "$(stat -c %a "$root/run/jvirtd/shell-sock")" = 600 ] || fail "shell-sock mode $(stat -c %a "$root/run/jvirtd/shell-sock")"
pass "jvirtd runs from /usr/lib/jvirtd with --root; virsh defines and lists through it, jvirtd-shell runs lb"

member=$(setpriv --reuid=65534 --regid=65534 --groups="$gid" virsh -q -c "$uri" list --all --name 2>&1) \
  || fail "a member of jvirtd: $member"
[ "$member" = debvm ] || fail "a member of jvirtd lists: $member"
if stranger=$(setpriv --reuid=65534 --regid=65534 --clear-groups virsh -q -c "$uri" list --all --name 2>&1); then
  fail "a user outside jvirtd connected read-write: $stranger"
fi
grep -q 'Permission denied' <<<"$stranger" || fail "a user outside jvirtd: $stranger"
pass "the jvirtd group connects read-write, other users are refused"

[ -d "$root/var/cache/jvirtd/felix-cache/bundle0" ] || fail "no Felix cache in /var/cache/jvirtd"
[ -z "$(find "$root/usr/lib/jvirtd" -newer "$work/install.out" -print -quit)" ] || fail "the daemon wrote into /usr/lib/jvirtd"
kill "$(cat "$root/run/jvirtd.pid")"
for _ in $(seq 1 300); do [ -e "$root/run/jvirtd.pid" ] || break; sleep 0.1; done
[ ! -e "$root/run/jvirtd.pid" ] || fail "the daemon did not stop"
pass "the OSGi cache is in /var/cache/jvirtd, nothing written to /usr/lib/jvirtd"

# A changed conffile survives a reinstall (an upgrade to the same version); an unchanged one is replaced.
echo 'log_level = 2' >> "$root/etc/jvirtd/jvirtd.conf"
dpkg_root -i "$deb" > "$work/reinstall.out" 2>&1 || fail "reinstall: $(cat "$work/reinstall.out")"
tail -n 1 "$root/etc/jvirtd/jvirtd.conf" | grep -qx 'log_level = 2' || fail "the changed jvirtd.conf was replaced"
[ "$(awk -F: '$1 == "jvirtd" {print $3}' "$root/etc/group")" = "$gid" ] || fail "a second jvirtd group"
pass "a changed /etc/jvirtd/jvirtd.conf is kept on upgrade, the group is made once"

dpkg_root --remove jvirtd > "$work/remove.out" 2>&1 || fail "dpkg --remove: $(cat "$work/remove.out")"
[ ! -e "$root/usr/lib/jvirtd/bin/jvirtd.jar" ] && [ ! -e "$root/usr/sbin/jvirtd" ] || fail "files left after remove"
[ -f "$root/etc/jvirtd/jvirtd.conf" ] || fail "remove deleted the conffile"
[ -d "$root/etc/jvirtd/test" ] || fail "remove deleted the domain definitions"
dpkg_root --purge jvirtd > "$work/purge.out" 2>&1 || fail "dpkg --purge: $(cat "$work/purge.out")"
[ ! -e "$root/etc/jvirtd/jvirtd.conf" ] && [ ! -e "$root/etc/default/jvirtd" ] || fail "conffiles left after purge"
[ ! -e "$root/var/cache/jvirtd" ] && [ ! -e "$root/var/log/jvirtd" ] || fail "cache or logs left after purge"
[ ! -L "$root/etc/systemd/system/multi-user.target.wants/jvirtd.service" ] || fail "unit still enabled after purge"
pass "remove keeps the configuration and the domains, purge removes the conffiles, the cache and the logs"
