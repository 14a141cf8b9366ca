#!/usr/bin/env bash
# The shared fixtures' tiny guest with Debian's QEMU guest agent in it, as a layer of our own: the base
# initramfs (made by ../shared/fixtures/make-vm-guest.sh) with a second gzip'd cpio appended, which the
# kernel unpacks over the first. The layer holds the host's /usr/sbin/qemu-ga (package qemu-guest-agent) and
# the libraries it links, an /etc/inittab that also respawns /etc/qga.sh (it finds the
# org.qemu.guest_agent.0 port once rcS has loaded virtio_console, prints GUEST-AGENT-START and execs
# qemu-ga on it), a /sbin/shutdown for guest-shutdown (busybox has none) and an /etc/os-release.
# Usage: make-agent-guest.sh BASE_GUEST_DIR OUT_DIR
set -euo pipefail
base=$(readlink -f "$1")
out=$2
qga=/usr/sbin/qemu-ga
[ -x "$qga" ] || { echo "make-agent-guest.sh: $qga missing (Debian package qemu-guest-agent)" >&2; exit 2; }
for f in vmlinuz initrd.img; do
  [ -s "$base/$f" ] || { echo "make-agent-guest.sh: $base/$f missing" >&2; exit 2; }
done
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/usr/sbin" "$stage/sbin" "$stage/etc" "$stage/var/run" "$stage/var/log"
cp "$qga" "$stage/usr/sbin/qemu-ga"
for lib in $(ldd "$qga" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$lib" "$stage$lib"
done
# the base inittab plus the agent
zcat "$base/initrd.img" | (cd "$stage" && cpio -i --quiet etc/inittab)
echo "::respawn:/etc/qga.sh" >> "$stage/etc/inittab"
cat > "$stage/etc/qga.sh" <<'SH'
#!/bin/sh
for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] && dev=/dev/${p##*/}
done
if [ -z "$dev" ] || [ ! -e "$dev" ]; then
    sleep 2   # no agent port (yet): busybox init runs this again
    exit 0
fi
echo "GUEST-AGENT-START $dev" > /dev/console
exec /usr/sbin/qemu-ga -m virtio-serial -p "$dev" -l /var/log/qemu-ga.log
SH
cat > "$stage/sbin/shutdown" <<'SH'
#!/bin/sh
# qemu-ga's guest-shutdown runs "shutdown -P|-H|-r +0 MESSAGE"
case "$1" in
    -r) exec reboot ;;
    -H) exec halt ;;
    *) exec poweroff ;;
esac
SH
cat > "$stage/etc/os-release" <<'OS'
PRETTY_NAME="jvirtd fixture guest"
NAME="jvirtd fixture guest"
VERSION_ID="1"
VERSION="1 (busybox)"
ID=jvirtd-fixture
OS
chmod 0755 "$stage/etc/qga.sh" "$stage/sbin/shutdown"
cp "$base/vmlinuz" "$out/vmlinuz"
{
  cat "$base/initrd.img"
  (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9n)
} > "$out/initrd.img.tmp"
mv -f "$out/initrd.img.tmp" "$out/initrd.img"
echo "made $out/initrd.img ($(stat -c %s "$out/initrd.img") bytes) with qemu-ga $("$qga" -V 2>&1 | head -n 1)"
