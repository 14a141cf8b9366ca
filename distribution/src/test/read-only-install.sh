#!/usr/bin/env bash
# The installation is never written to: a copy of the distribution, made read-only (a read-only bind
# mount in a private mount namespace, which binds root too; plus chmod -R a-w), serves two daemons
# with their own --root at once. Each gets its own Felix cache under DIR/var/cache/jvirtd, a restart
# reuses it, and a changed installation (another bundle set) clears it. Usage: read-only-install.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs READONLY virsh unshare mount || exit 0
prerequisite READONLY "root (a read-only bind mount)" test "$(id -u)" = 0 || exit 0
work=$(mktemp -d /tmp/jvirtd-ro.XXXXXX)
cleanup() {
  for r in a b; do
    if [ -s "$work/$r/run/jvirtd.pid" ]; then kill -KILL "$(cat "$work/$r/run/jvirtd.pid")" 2>/dev/null || true; fi
  done
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "READONLY FAIL: $*" >&2; exit 1; }
pass() { echo "READONLY PASS: $*"; }

cp -a "$(readlink -f "$1")" "$work/dist"
chmod -R a-w "$work/dist"
mkdir "$work/a" "$work/b"
export work
# Inside the namespace: the installation is a read-only mount; both daemons run from it at once.
unshare -m bash -euo pipefail -c '
  mount --bind "$work/dist" "$work/dist"
  mount -o remount,ro,bind "$work/dist"
  if touch "$work/dist/probe" 2>/dev/null; then echo "the installation is writable" >&2; exit 1; fi
  stop() { kill "$(cat "$work/$1/run/jvirtd.pid")"; while [ -e "$work/$1/run/jvirtd.pid" ]; do sleep 0.1; done; }
  for r in a b; do "$work/dist/bin/jvirtd" -d --root "$work/$r"; done
  for r in a b; do
    virsh -c "qemu+unix:///system?socket=$work/$r/run/libvirt/libvirt-sock" hostname > "$work/$r.hostname"
  done
  # a second daemon of instance a (another pid file) runs from a private cache until the sockets refuse it
  touch "$work/a/var/cache/jvirtd/felix-cache/marker"
  set +e; "$work/dist/bin/jvirtd" --root "$work/a" -p "$work/other.pid" </dev/null >"$work/second.out" 2>&1
  echo $? > "$work/second.rc"; set -e
  for r in a b; do stop $r; done
  touch "$work/a/var/cache/jvirtd/felix-cache/marker"   # survives a reuse, not a clearing
  "$work/dist/bin/jvirtd" -d --root "$work/a"
  virsh -c "qemu+unix:///system?socket=$work/a/run/libvirt/libvirt-sock" hostname > "$work/a.hostname2"
  stop a
'
[ -s "$work/a.hostname" ] && [ -s "$work/b.hostname" ] || fail "virsh hostname through each daemon"
pass "two daemons with their own --root run from a read-only installation"
[ "$(cat "$work/second.rc")" = 6 ] || fail "a second daemon of a: status $(cat "$work/second.rc"), $(cat "$work/second.out")"
grep -q "bundle cache $work/a/var/cache/jvirtd/felix-cache is in use by another daemon; using $work/a/var/cache/jvirtd/felix-cache\.[0-9]" \
  "$work/second.out" || fail "second daemon on a's cache: $(cat "$work/second.out")"
[ -e "$work/a/var/cache/jvirtd/felix-cache/marker" ] || fail "the second daemon cleared the running daemon's cache"
[ -z "$(ls -d "$work"/a/var/cache/jvirtd/felix-cache.[0-9]* 2>/dev/null)" ] || fail "private cache left behind"
pass "a second daemon of an instance keeps off its cache (private one, removed) and exits 6 on the sockets"
for r in a b; do
  [ -d "$work/$r/var/cache/jvirtd/felix-cache/bundle0" ] || fail "no Felix cache under $r/var/cache/jvirtd"
done
[ ! -e "$work/dist/felix-cache" ] || fail "a Felix cache in the installation"
pass "each instance keeps its Felix cache under its own var/cache/jvirtd"
[ -s "$work/a.hostname2" ] || fail "virsh after the restart"
[ -e "$work/a/var/cache/jvirtd/felix-cache/marker" ] || fail "the restart cleared the cache instead of reusing it"
pass "a restart reuses the instance's cache"

# An upgraded installation (here: its Felix settings changed) clears the cache at the next start.
chmod u+w "$work/dist/conf" "$work/dist/conf/config.properties"
echo "# upgraded" >> "$work/dist/conf/config.properties"
"$work/dist/bin/jvirtd" -d --root "$work/a"
virsh -c "qemu+unix:///system?socket=$work/a/run/libvirt/libvirt-sock" hostname >/dev/null || fail "virsh after the upgrade"
kill "$(cat "$work/a/run/jvirtd.pid")"; while [ -e "$work/a/run/jvirtd.pid" ]; do sleep 0.1; done
[ ! -e "$work/a/var/cache/jvirtd/felix-cache/marker" ] || fail "the cache of the old installation was reused after an upgrade"
[ -d "$work/a/var/cache/jvirtd/felix-cache/bundle0" ] || fail "no cache after the upgrade"
pass "a changed installation clears the cache"
