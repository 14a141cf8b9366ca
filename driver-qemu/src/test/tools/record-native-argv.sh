#!/usr/bin/env bash
# Records the native-argv corpus: the domain XML real tools write, and libvirtd 9.0's
# `virsh domxml-to-native qemu-argv` for each, as test resources of driver-qemu (NativeArgvCorpusTest).
#
#   PEER_DIR=/tmp/peer-x ../shared/tools/peer-libvirtd.sh start
#   driver-qemu/src/test/tools/record-native-argv.sh "$(PEER_DIR=/tmp/peer-x ../shared/tools/peer-libvirtd.sh uri)"
#
# Each configuration below is one virt-install --print-xml command (the options virt-install users pass);
# hand/*.xml are definitions as virt-manager and OpenStack Nova write them. For each NAME the script writes
# NAME.xml (the definition) and NAME.argv (libvirtd's answer, one line, the daemon's PATH replaced by
# @PATH@), or NAME.err (libvirtd's refusal). Disk images live in $IMAGES (created empty here): the paths are
# part of the recorded data; domxml-to-native never opens them.
# Then each definition is started paused on libvirtd (virsh create --paused, then destroyed): NAME.start
# says "started" or libvirtd's error (no bridge br0 in the peer's namespace, empty kernel files, ...).
# With only=starts the definitions and argv files are kept and only the .start files are recorded again;
# names=REGEX records only the configurations whose names match.
set -euo pipefail
uri=${1:?usage: record-native-argv.sh PEER_URI}
out=$(cd "$(dirname "$0")/../resources/native-argv" && pwd)
IMAGES=/var/tmp/jvirtd-native-argv
mkdir -p "$IMAGES"
for f in disk.qcow2 data.qcow2 data2.raw win.qcow2; do
  [ -f "$IMAGES/$f" ] || qemu-img create -q -f "$( [ "${f##*.}" = raw ] && echo raw || echo qcow2)" "$IMAGES/$f" 1G
done
: > "$IMAGES/vmlinuz"; : > "$IMAGES/initrd.img"; : > "$IMAGES/install.iso"
# the daemon's PATH (it passes its own to QEMU): recorded as @PATH@
peer_path=$(tr '\0' '\n' < "/proc/$(cat "${PEER_DIR:?set PEER_DIR as for peer-libvirtd.sh}/libvirtd.pid")/environ" | sed -n 's/^PATH=//p')

D=$IMAGES/disk.qcow2
BASE=(--import --memory 512 --virt-type qemu --noautoconsole)

# name | virt-install options after the common ones
configs() {
cat <<CONF
vi-default|--disk $D --osinfo detect=on,require=off --graphics none --network none
vi-q35-virtio|--machine q35 --disk $D,bus=virtio --osinfo debian11 --graphics none --network none
vi-q35-uefi|--machine q35 --boot uefi --disk $D --osinfo detect=on,require=off --graphics none --network none
vi-uefi-secure|--machine q35 --boot uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=yes --disk $D --osinfo debian11 --graphics none --network none
vi-uefi-insecure|--machine q35 --boot uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=no --disk $D --osinfo fedora37 --graphics none --network none
vi-vnc-tablet|--disk $D --osinfo debian11 --graphics vnc --input tablet --network none
vi-vnc-port|--disk $D --osinfo generic --graphics vnc,port=5907,listen=127.0.0.1 --network none
vi-spice-qxl|--disk $D --osinfo fedora37 --graphics spice --video qxl --network none
vi-spice-virtio-video|--machine q35 --disk $D --osinfo fedora37 --graphics spice --video virtio --network none
vi-vga|--disk $D --osinfo generic --graphics vnc --video vga --network none
vi-smp-topology|--disk $D --osinfo debian11 --vcpus 4,sockets=2,cores=2,threads=1 --graphics none --network none
vi-smp-maxvcpus|--disk $D --osinfo debian11 --vcpus 2,maxvcpus=4 --graphics none --network none
vi-sata-cdrom|--machine q35 --disk $D,bus=sata --disk $IMAGES/install.iso,device=cdrom,bus=sata --osinfo debian11 --graphics none --network none
vi-ide-cdrom-pc|--disk $D --disk $IMAGES/install.iso,device=cdrom --osinfo win7 --graphics none --network none
vi-virtio-scsi|--disk $D,bus=scsi --controller scsi,model=virtio-scsi --osinfo debian11 --graphics none --network none
vi-serial-virtio-console|--disk $D --osinfo debian11 --graphics none --network none --serial pty --console pty,target_type=virtio
vi-serial-file|--disk $D --osinfo generic --graphics none --network none --serial file,path=$IMAGES/serial.log
vi-serial-tcp|--disk $D --osinfo generic --graphics none --network none --serial tcp,host=127.0.0.1:4555,mode=bind,protocol.type=telnet
vi-agent-rng|--machine q35 --disk $D,bus=virtio --osinfo debian11 --graphics none --network none --channel unix,target.type=virtio,target.name=org.qemu.guest_agent.0 --rng /dev/urandom
vi-balloon-watchdog-sound|--disk $D --osinfo debian11 --graphics vnc --network none --memballoon virtio --watchdog i6300esb,action=reset --sound ich9
vi-sound-ac97|--disk $D --osinfo generic --graphics vnc --network none --sound ac97
vi-kernel-boot|--disk $D --osinfo generic --graphics none --network none --boot kernel=$IMAGES/vmlinuz,initrd=$IMAGES/initrd.img,kernel_args=console=ttyS0
vi-usbredir|--disk $D --osinfo fedora37 --graphics spice --network none --redirdev usb,type=spicevmc --redirdev usb,type=spicevmc
vi-tpm-emulator|--machine q35 --disk $D --osinfo debian11 --graphics none --network none --tpm emulator
vi-tpm-default|--disk $D --osinfo debian11 --graphics none --network none --tpm default
vi-tpm-tis|--machine q35 --disk $D --osinfo debian11 --graphics none --network none --tpm emulator,model=tpm-tis,version=2.0
vi-tpm-tis12|--disk $D --osinfo generic --graphics none --network none --tpm emulator,model=tpm-tis,version=1.2
vi-vdagent|--disk $D --osinfo fedora37 --network none --graphics vnc --channel qemu-vdagent,source.clipboard.copypaste=on,source.mouse.mode=client
vi-virtiofs|--disk $D --osinfo generic --graphics none --network none --memorybacking source.type=memfd,access.mode=shared --filesystem $IMAGES,share0,driver.type=virtiofs
vi-iommu-virtio|--machine q35 --disk $D --osinfo generic --graphics none --network none --iommu model=virtio
vi-smartcard-host|--disk $D --osinfo fedora37 --network none --graphics spice --smartcard mode=host
vi-bridge-nic|--disk $D --osinfo debian11 --graphics none --network bridge=br0,model=virtio
vi-bridge-e1000e|--machine q35 --disk $D --osinfo generic --graphics none --network bridge=br0,model=e1000e,mac=52:54:00:12:34:56
vi-user-nic|--disk $D --osinfo debian11 --graphics none --network user,model=virtio
vi-disk-options|--disk $D,bus=virtio,cache=none,discard=unmap,serial=SN-0001 --disk $IMAGES/data.qcow2,bus=virtio,readonly=on --disk $IMAGES/data2.raw,format=raw,bus=virtio,cache=writeback,io=threads --osinfo debian11 --graphics none --network none
vi-disk-shareable|--disk $D,bus=virtio,cache=directsync --disk $IMAGES/data2.raw,format=raw,bus=virtio,cache=none,shareable=on --osinfo debian11 --graphics none --network none
vi-usb-disk|--machine q35 --disk $D --disk $IMAGES/data2.raw,format=raw,bus=usb --osinfo debian11 --graphics none --network none
vi-usb3|--machine q35 --disk $D --osinfo debian11 --graphics vnc --network none --controller usb,model=qemu-xhci --input keyboard,bus=usb
vi-clock-localtime|--disk $D --osinfo win10 --graphics vnc --network none --clock offset=localtime
vi-events|--disk $D --osinfo generic --graphics none --network none --events on_reboot=destroy,on_crash=destroy,on_poweroff=destroy
vi-boot-menu|--disk $D --osinfo generic --graphics none --network none --boot hd,cdrom,menu=on
vi-panic|--disk $D --osinfo debian11 --graphics none --network none --panic isa
vi-cpu-model|--disk $D --osinfo debian11 --graphics none --network none --cpu qemu64
vi-memballoon-none|--disk $D --osinfo generic --graphics none --network none --memballoon none
vi-sysinfo|--disk $D --osinfo debian11 --graphics none --network none --sysinfo bios.vendor=Example,bios.version=1.2,system.manufacturer=Example\,Corp,system.product=Box,system.serial=S-1,system.family=Virtual,chassis.manufacturer=Example,chassis.asset=A1,oemStrings.entry0=role-db,oemStrings.entry1=rack4
vi-hyperv-features|--disk $IMAGES/win.qcow2 --osinfo win10 --network none --features hyperv.relaxed.state=on,hyperv.vapic.state=on,hyperv.spinlocks.state=on,hyperv.spinlocks.retries=4096,hyperv.synic.state=on,hyperv.reset.state=on
vi-serial-log|--disk $D --osinfo generic --graphics none --network none --serial pty,log.file=$IMAGES/serial-pty.log,log.append=on --serial file,path=$IMAGES/serial2.log,log.file=$IMAGES/serial2-log.log
vi-disk-io|--disk $D,bus=virtio,io=native,cache=none,discard=ignore --disk $IMAGES/data2.raw,format=raw,bus=sata,io=io_uring --osinfo debian11 --graphics none --network none
vi-vcpus-current-topology|--disk $D --osinfo debian11 --graphics none --network none --vcpus 3,maxvcpus=8,sockets=2,cores=2,threads=2
vi-nic-e1000-boot|--disk $D --osinfo generic --graphics none --network user,model=e1000 --network user,model=rtl8139 --boot network,hd
vi-panic-iobase|--disk $D --osinfo generic --graphics none --network none --panic isa,iobase=0x506
vi-clock-kvmclock|--disk $D --osinfo generic --graphics none --network none --clock offset=utc,kvmclock_present=no,hypervclock_present=yes
vi-network-default|--disk $D --osinfo debian11 --graphics none --network network=default
vi-vnc-password|--disk $D --osinfo generic --network none --graphics vnc,password=secret,listen=127.0.0.1
vi-spice-listen-none|--disk $D --osinfo fedora37 --network none --graphics spice,listen=none
vi-video-bochs|--machine q35 --disk $D --osinfo generic --network none --graphics vnc --video bochs
vi-video-cirrus|--disk $D --osinfo generic --network none --graphics vnc --video cirrus
vi-video-vmvga|--disk $D --osinfo generic --network none --graphics vnc --video vmvga
vi-input-virtio|--machine q35 --disk $D --osinfo debian11 --network none --graphics vnc --input keyboard,bus=virtio --input mouse,bus=virtio --input tablet,bus=virtio
vi-channel-pty|--disk $D --osinfo debian11 --graphics none --network none --channel pty,target.type=virtio,target.name=org.example.test.0
vi-channel-spicevmc|--disk $D --osinfo generic --network none --graphics spice --channel spicevmc
vi-parallel|--disk $D --osinfo generic --graphics none --network none --parallel pty
vi-watchdog-ib700|--disk $D --osinfo generic --graphics none --network none --watchdog ib700,action=poweroff
vi-watchdog-itco|--machine q35 --disk $D --osinfo generic --graphics none --network none --watchdog itco,action=pause
vi-rng-builtin|--disk $D --osinfo generic --graphics none --network none --rng builtin
vi-balloon-autodeflate|--disk $D --osinfo generic --graphics none --network none --memballoon virtio,autodeflate=on,freePageReporting=on
vi-floppy|--disk $D --disk $IMAGES/data2.raw,format=raw,device=floppy --osinfo msdos6.22 --graphics none --network none
vi-scsi-cdrom|--disk $D,bus=scsi --disk $IMAGES/install.iso,device=cdrom,bus=scsi --osinfo generic --graphics none --network none
vi-iothreads|--disk $D,bus=virtio,driver.iothread=1 --iothreads 2 --osinfo debian11 --graphics none --network none
vi-numa|--disk $D --osinfo generic --graphics none --network none --vcpus 4 --cpu qemu64,cell0.cpus=0-1,cell0.memory=262144,cell1.cpus=2-3,cell1.memory=262144
vi-uefi-pc|--machine pc --boot uefi --disk $D --osinfo generic --graphics none --network none
vi-i686|--arch i686 --disk $D --osinfo generic --graphics none --network none
vi-older-machine|--machine pc-q35-6.2 --disk $D --osinfo debian11 --graphics none --network none
vi-host-model|--disk $D --osinfo generic --graphics none --network none --cpu host-model
vi-cpu-features|--disk $D --osinfo generic --graphics none --network none --cpu qemu64,+x2apic,-svm,require=pdpe1gb
vi-filesystem-9p|--disk $D --osinfo generic --graphics none --network none --filesystem $IMAGES,share,accessmode=mapped
vi-os-ubuntu2004|--disk $D --osinfo ubuntu20.04 --network none
vi-os-win2k22|--disk $IMAGES/win.qcow2 --osinfo win2k22 --network none
vi-os-win81|--disk $IMAGES/win.qcow2 --osinfo win8.1 --network none
vi-os-rhel7|--disk $D --osinfo rhel7.9 --network none
vi-os-centos7|--disk $D --osinfo centos7 --network none
vi-os-linux2022|--disk $D --osinfo linux2022 --network none
vi-os-solaris11|--disk $D --osinfo solaris11 --network none
vi-features-misc|--machine q35 --disk $D --osinfo debian11 --graphics none --network none --features smm.state=on,vmcoreinfo.state=on,pmu.state=off,kvm.hidden.state=on
vi-disk-iotune|--disk $D,bus=virtio,read_bytes_sec=10485760,write_iops_sec=200 --osinfo debian11 --graphics none --network none
vi-tunables|--disk $D --osinfo generic --graphics none --network none --memtune hard_limit=1048576 --blkiotune weight=500 --cputune shares=2048 --numatune 0,mode=preferred
vi-serial-udp|--disk $D --osinfo generic --graphics none --network none --serial udp,host=127.0.0.1:4556,bind_host=127.0.0.1:4557
vi-channel-tcp|--disk $D --osinfo generic --graphics none --network none --channel tcp,host=127.0.0.1:4558,mode=bind,target_type=virtio,name=org.example.tcp.0
vi-input-ps2|--disk $D --osinfo generic --network none --graphics vnc --input mouse,bus=ps2 --input keyboard,bus=ps2
vi-loader-manual|--machine q35 --disk $D --osinfo generic --graphics none --network none --boot loader=/usr/share/OVMF/OVMF_CODE_4M.fd,loader.readonly=yes,loader.type=pflash,nvram.template=/usr/share/OVMF/OVMF_VARS_4M.fd
vi-boot-bios-serial|--disk $D --osinfo generic --graphics none --network none --boot hd,bios.useserial=on,bios.rebootTimeout=5000
vi-pm-suspend|--disk $D --osinfo generic --graphics none --network none --pm suspend_to_mem.enabled=on,suspend_to_disk.enabled=on
vi-metadata|--disk $D --osinfo generic --graphics none --network none --metadata title=Web,description=frontend
vi-smartcard|--disk $D --osinfo fedora37 --network none --graphics spice --smartcard passthrough,type=spicevmc
vi-iommu|--machine q35 --disk $D --osinfo generic --graphics none --network none --features ioapic.driver=qemu --iommu model=intel,driver.intremap=on
vi-vsock|--disk $D --osinfo generic --graphics none --network none --vsock cid.auto=yes
vi-numa-shared|--disk $D --osinfo generic --graphics none --network none --memory 512 --memorybacking access.mode=shared --vcpus 2 --cpu qemu64,cell0.cpus=0-1,cell0.memory=524288
vi-console-serial|--disk $D --osinfo generic --graphics none --network none --console pty,target.type=serial
vi-osinfo-detect-q35|--machine q35 --disk $D,bus=virtio --osinfo detect=on,require=off --network none
vi-os-debian11|--disk $D --osinfo debian11 --network none
vi-os-win10|--disk $IMAGES/win.qcow2 --osinfo win10 --network none
vi-os-win11|--disk $IMAGES/win.qcow2 --osinfo win11 --network none
vi-os-win2k19|--disk $IMAGES/win.qcow2 --osinfo win2k19 --network none
vi-os-win7|--disk $IMAGES/win.qcow2 --osinfo win7 --network none
vi-os-winxp|--disk $IMAGES/win.qcow2 --osinfo winxp --network none
vi-os-fedora37|--disk $D --osinfo fedora37 --network none
vi-os-rhel9|--disk $D --osinfo rhel9.1 --network none
vi-os-rhel8|--disk $D --osinfo rhel8.6 --network none
vi-os-centos-stream9|--disk $D --osinfo centos-stream9 --network none
vi-os-ubuntu2204|--disk $D --osinfo ubuntu22.04 --network none
vi-os-generic|--disk $D --osinfo generic --network none
vi-os-alpine|--disk $D --osinfo alpinelinux3.17 --network none
vi-os-opensuse|--disk $D --osinfo opensuse15.4 --network none
vi-os-freebsd|--disk $D --osinfo freebsd13.1 --network none
vi-os-archlinux|--disk $D --osinfo archlinux --network none
CONF
}

record() { # record XMLFILE: writes the .argv or .err beside it
  local xml=$1 base=${1%.xml} argv
  rm -f "$base.argv" "$base.err"
  if argv=$(virsh -c "$uri" domxml-to-native qemu-argv --xml "$xml" 2>"$base.err"); then
    printf '%s\n' "$argv" | sed '/^$/d' | sed "s|PATH=$peer_path |PATH=@PATH@ |" > "$base.argv"
    rm -f "$base.err"
    echo "recorded $(basename "$base")"
  else
    sed -i '/^$/d' "$base.err"
    echo "recorded $(basename "$base") (refused: $(head -1 "$base.err"))"
  fi
}

selected() { # selected NAME: the names=REGEX filter (default: all) lets one record a few configurations again
  [ -z "${names:-}" ] || grep -qE "^($names)\$" <<<"$1"
}

record_start() { # record_start XMLFILE: writes the .start beside it
  local xml=$1 base=${1%.xml} name err
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$xml" | head -1)
  if err=$(virsh -q -c "$uri" create --paused "$xml" 2>&1 >/dev/null); then
    echo started > "$base.start"
    virsh -q -c "$uri" destroy "$name" >/dev/null
  else
    printf '%s\n' "$err" | sed '/^$/d; /Failed to create domain from/d' > "$base.start"
  fi
  echo "start of $(basename "$base"): $(head -1 "$base.start")"
}

[ "${only:-}" = starts ] || while IFS='|' read -r name opts; do
  [ -n "$name" ] || continue
  selected "$name" || continue
  # shellcheck disable=SC2086
  virt-install --connect "$uri" --print-xml --name "$name" "${BASE[@]}" $opts > "$out/$name.xml" || { echo "virt-install refused $name" >&2; rm -f "$out/$name.xml"; continue; }
  record "$out/$name.xml"
done < <(configs)
[ "${only:-}" = starts ] || for xml in "$out"/hand/*.xml; do
  selected "$(basename "$xml" .xml)" || continue
  record "$xml"
done
for xml in "$out"/*.xml "$out"/hand/*.xml; do
  selected "$(basename "$xml" .xml)" || continue
  record_start "$xml"
done
