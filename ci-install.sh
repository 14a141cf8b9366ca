#!/usr/bin/env bash
# Installs the Debian packages jvirtd builds, runs and tests with (as root, via apt-get). Idempotent.
# Every program a test needs is here: under CI=true a test whose prerequisite is missing fails, it is not
# skipped (testing/Prerequisite.java, distribution/src/test/prerequisite.sh).
set -euo pipefail
packages=(
  openjdk-17-jdk-headless maven            # build
  libvirt-clients python3-libvirt          # virsh, virt-admin and libvirt-python: the real clients of the RPC tests
  golang-go golang-github-digitalocean-go-libvirt-dev  # go-libvirt: a protocol client without libvirt's C library
  prometheus-libvirt-exporter curl         # the Prometheus exporter scrapes a TCG guest in qemu-virsh.sh
  openssl passwd util-linux                # TLS test certificates; useradd and runuser for the socket access test
  libxml2-utils                            # xmllint for virt-xml-validate
  qemu-system-x86 qemu-utils               # QEMU driver, qemu-img
  dnsmasq-base nftables iptables iproute2  # virtual networks; iptables also gives ebtables-nft, for nwfilter's rules
  tcpdump                                  # QemuNwFilterTest watches the bridge for a guest's spoofed frames
  iputils-ping                             # network tests ping guests
  strace                                   # counts the journal's syncs (DefineSyncTest, the benchmark)
  lvm2 e2fsprogs parted nfs-common mount   # storage pools (mount has losetup for the loop device tests)
  systemd man-db                           # init-scripts.sh: systemd-analyze verifies the units, man renders jvirtd.8
  init-system-helpers lintian              # deb-install.sh: postinst enables the units (deb-systemd-helper); lintian checks the .deb
  busybox-static cpio                      # test guests of ../shared/fixtures
  qemu-guest-agent                         # qemu-ga inside the agent variant of the tiny guest (make-agent-guest.sh)
  ansible python3-lxml                     # community.libvirt's virt, virt_pool, virt_net modules (ansible-libvirt.sh)
  virtinst ovmf                            # virt-install against the daemon; UEFI firmware and its descriptors
  swtpm swtpm-tools                        # TPM emulator of guests with <tpm><backend type='emulator'/> (swtpm, swtpm_setup)
  pci.ids                                  # PCI vendor and device names in node device XML, as libvirt shows them
  ethtool                                  # cross-check of the offload features node device XML lists
  libsasl2-2 libsasl2-modules sasl2-bin    # SASL authentication: Cyrus SASL, its DIGEST-MD5/SCRAM plugins, saslpasswd2
  polkitd dbus-daemon dbus-bin libdbus-1-3 # polkit authentication: polkitd on a private system bus, libdbus for CheckAuthorization
  libvirt-dbus cockpit-ws cockpit-bridge cockpit-machines chromium nodejs  # cockpit-machines.sh (playwright-core from npm)
)
# npm for playwright-core; a Node.js from elsewhere (NodeSource) brings its own npm and refuses Debian's
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The test guests are built from Debian packages fetched with apt-get download: they need package lists.
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ci-install.sh: run as root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
