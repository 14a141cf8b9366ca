#!/usr/bin/env bash
# Lays out the Debian package's files, as Debian puts them, from the assembled distribution; the jdeb
# plugin packs this tree (modes and conffiles are set there). Usage: stage.sh DIST_DIR STAGE_DIR MAVEN_VERSION TIMESTAMP
#   /usr/lib/jvirtd          the installation (bin, bundle, shell, conf, etc/gosh_profile); load -> /var/lib/jvirtd/load
#   /usr/sbin                jvirtd, jvirtd-shell, jvirtd-guests (links, jdeb adds them)
#   /etc/jvirtd/jvirtd.conf  the distribution's, with the jvirtd group on the sockets; /etc/default/*
#   /lib/systemd/system      the distribution's units with the package's paths; /usr/lib/tmpfiles.d
set -euo pipefail

dist=$(readlink -f "$1")
stage=$2
version=${3/-SNAPSHOT/\~SNAPSHOT}   # as jdeb writes it into the control file
timestamp=$4
deb=$(dirname "$(readlink -f "$0")")
rm -rf "$stage"
mkdir -p "$stage"

lib=$stage/usr/lib/jvirtd
mkdir -p "$lib"
cp -a "$dist"/bin "$dist"/bundle "$dist"/shell "$dist"/conf "$lib"/
mkdir -p "$lib/etc"
cp -a "$dist"/etc/gosh_profile "$lib/etc/"
mkdir -p "$stage/var/lib/jvirtd/load"
cp -a "$dist"/load/README "$stage/var/lib/jvirtd/load/"

mkdir -p "$stage/etc/jvirtd" "$stage/etc/default"
grep -q '^#unix_sock_group = "libvirt"$' "$dist/etc/jvirtd.conf"
sed 's/^#unix_sock_group = "libvirt"$/# Set by the Debian package: members of the jvirtd group connect read-write.\nunix_sock_group = "jvirtd"/' \
  "$dist/etc/jvirtd.conf" > "$stage/etc/jvirtd/jvirtd.conf"
cp "$dist/etc/default/jvirtd-guests" "$stage/etc/default/jvirtd-guests"
cp "$deb/default-jvirtd" "$stage/etc/default/jvirtd"

units=$stage/lib/systemd/system
mkdir -p "$units"
for unit in "$dist"/init/systemd/*.service; do
  sed -e '/^# jvirtd as a systemd service. Install the distribution/d' \
      -e 's#/opt/jvirtd/bin/jvirtd-guests#/usr/sbin/jvirtd-guests#g' \
      -e 's#/opt/jvirtd/bin/jvirtd #/usr/sbin/jvirtd #g' "$unit" > "$units/$(basename "$unit")"
  if grep -q /opt/jvirtd "$units/$(basename "$unit")"; then
    echo "stage.sh: $unit names /opt/jvirtd where the package has no rule for it" >&2
    exit 1
  fi
done
mkdir -p "$stage/usr/lib/tmpfiles.d"
cp "$deb/tmpfiles-jvirtd.conf" "$stage/usr/lib/tmpfiles.d/jvirtd.conf"

doc=$stage/usr/share/doc/jvirtd
mkdir -p "$doc/examples" "$stage/usr/share/man/man8"
cp "$deb/copyright" "$doc/copyright"
mkdir -p "$stage/usr/share/lintian/overrides"
cp "$deb/lintian-overrides" "$stage/usr/share/lintian/overrides/jvirtd"
sed 's#/opt/jvirtd/bin/jvirtd #/usr/sbin/jvirtd #g' "$dist/init/systemd/jvirtd.service.d/listen.conf.example" \
  > "$doc/examples/listen.conf"
gzip -9n < "$dist/man/jvirtd.8" > "$stage/usr/share/man/man8/jvirtd.8.gz"
date=$(date -u -R -d "$timestamp")
printf 'jvirtd (%s) unstable; urgency=medium\n\n  * Built by the jvirtd Maven build.\n\n -- jvirtd developers <jvirtd@jvirtd.invalid>  %s\n' \
  "$version" "$date" | gzip -9n > "$doc/changelog.gz"
