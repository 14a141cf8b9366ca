package org.jvirtd.driver.qemu.internal.guest;

import java.util.List;
import java.util.UUID;

/**
 * The parts of a domain definition the QEMU driver acts on, typed; read from domain XML by {@link GuestXml}.
 */
public record GuestDef(String type, int id, String name, UUID uuid, long memoryKiB, int vcpus, int currentVcpus,
                       Os os, Cpu cpu,
                       boolean acpi, boolean smm, Hyperv hyperv, String vmport, Clock clock, String onPoweroff, String onReboot, String onCrash, Pm pm,
                       MemoryBacking memoryBacking, Devices devices, Smbios smbios, List<Integer> iothreadIds,
                       List<NumaCell> numa, CpuFlags cpuFlags, String pmu, boolean vmcoreinfo,
                       NumaTune numaTune, String ioapicDriver, Extras extras) {

    public GuestDef withId(int newId) {
        return new GuestDef(type, newId, name, uuid, memoryKiB, vcpus, currentVcpus, os, cpu, acpi, smm, hyperv, vmport, clock, onPoweroff, onReboot,
            onCrash, pm, memoryBacking, devices, smbios, iothreadIds, numa,
            cpuFlags, pmu, vmcoreinfo, numaTune, ioapicDriver, extras);
    }

    public GuestDef withDevices(Devices newDevices) {
        return new GuestDef(type, id, name, uuid, memoryKiB, vcpus, currentVcpus, os, cpu, acpi, smm, hyperv, vmport, clock, onPoweroff, onReboot,
            onCrash, pm, memoryBacking, newDevices, smbios, iothreadIds, numa,
            cpuFlags, pmu, vmcoreinfo, numaTune, ioapicDriver, extras);
    }

    /**
     * The paravirtual switches of {@code <features>} that become CPU properties: {@code <apic eoi>},
     * {@code <pvspinlock state>} (on when it names none) and the states of {@code <kvm>}'s children by name
     * (hidden, hint-dedicated, poll-control, pv-ipi, dirty-ring, ...) with the dirty ring's size, an accelerator
     * property; null and empty when absent.
     */
    public record CpuFlags(String apicEoi, String pvspinlock, java.util.Map<String, String> kvm,
                           String dirtyRingSize) {
        public static final CpuFlags NONE = new CpuFlags(null, null, java.util.Map.of(), null);
    }

    /**
     * Machine settings passed as globals or extra arguments: the SMM TSEG size in MiB ({@code <smm><tseg>}), the
     * 64-bit PCI hole of the root bus in KiB ({@code <pcihole64>}), the VM generation id ({@code <genid>}), ACPI
     * tables ({@code <os><acpi><table>}: signature, file), the {@code <qemu:commandline>} arguments and
     * environment, the audio backends, {@code <maxMemory>} with its slots and the size of the memory devices,
     * the memory devices, {@code <memory dumpCore>}, the I/O threads' thread pools by id and the main loop's
     * ({@code <defaultiothread>});
     * null and empty when absent.
     */
    public record Extras(Integer tsegMiB, Long pciHole64KiB, String genid, List<String[]> acpiTables,
                         List<String> args, java.util.Map<String, String> env, List<Audio> audios,
                         Long maxMemoryKiB, Integer memorySlots, long hotplugKiB, List<MemoryDevice> memoryDevices,
                         String dumpCore, java.util.Map<Integer, ThreadPool> iothreadPools, ThreadPool mainLoopPool) {
        public static final Extras NONE = new Extras(null, null, null, List.of(), List.of(), java.util.Map.of(),
            List.of(), null, null, 0, List.of(), null, java.util.Map.of(), null);
    }

    /** A thread pool's {@code thread_pool_min} and {@code thread_pool_max} (null when not given). */
    public record ThreadPool(Integer min, Integer max) {
    }

    /**
     * A {@code <memory>} device: its model (dimm, nvdimm, virtio-pmem, virtio-mem), access and discard, the
     * source's path, pmem flag and page size (KiB, 0 for none), the target's size, guest node and label size
     * (KiB, 0 for none), whether it is read-only, and its DIMM slot (null when not given).
     */
    public record MemoryDevice(String model, String access, String discard, String path, boolean pmem,
                               long pageSizeKiB, long sizeKiB, Integer node, long labelKiB, boolean readonly,
                               Integer slot) {
    }

    /**
     * An {@code <audio>} backend: its id and type, its attributes, and the attributes of its {@code <input>} and
     * {@code <output>} with their {@code <settings>} merged in (empty when absent).
     */
    public record Audio(int id, String type, java.util.Map<String, String> attrs,
                        java.util.Map<String, String> input, java.util.Map<String, String> output) {
    }

    /**
     * The Hyper-V enlightenments of {@code <features><hyperv>}: the mode, the features switched on (element
     * names), the spinlock retries, the vendor id, and whether the synthetic timers are direct.
     */
    public record Hyperv(String mode, java.util.Set<String> on, Integer spinlockRetries, String vendorId,
                         boolean stimerDirect) {
        public static final Hyperv NONE = new Hyperv(null, java.util.Set.of(), null, null, false);
    }

    /**
     * The SMBIOS tables a guest sees: {@code <os><smbios mode>} and the {@code <sysinfo type='smbios'>}
     * entries by table (bios, system, chassis: entry name to value; baseboards; OEM strings).
     */
    public record Smbios(String mode, java.util.Map<String, String> bios, java.util.Map<String, String> system,
                         List<java.util.Map<String, String>> baseboards, java.util.Map<String, String> chassis,
                         List<String> oemStrings) {
        public static final Smbios NONE = new Smbios(null, java.util.Map.of(), java.util.Map.of(), List.of(),
            java.util.Map.of(), List.of());
    }

    /** A guest NUMA node of {@code <cpu><numa>}: its id, vCPU list, memory and distances to other nodes by id. */
    public record NumaCell(int id, String cpus, long memoryKiB, java.util.Map<Integer, Integer> distances,
                           String memAccess, String discard) {
    }

    /** {@code <numatune><memory>}: the policy (strict, preferred, interleave, restrictive) and host nodes. */
    public record NumaTune(String mode, List<Integer> nodes) {
        public static final NumaTune NONE = new NumaTune(null, List.of());
    }

    /** Whether QEMU runs with KVM (domain type kvm) rather than TCG. */
    public boolean isKvm() {
        return "kvm".equals(type);
    }

    public String accel() {
        return isKvm() ? "kvm" : "tcg";
    }

    public record Os(String arch, String machine, List<String> bootDevs, String kernel, String initrd,
                     String cmdline, Loader loader, String nvram, String nvramTemplate, Boolean bootMenu,
                     Integer bootMenuTimeout, boolean biosUseSerial, Integer rebootTimeout) {
    }

    /** A firmware loader; {@code readonly}, {@code secure} and {@code stateless} are null when the XML leaves them out. */
    public record Loader(String path, String type, Boolean readonly, Boolean secure, Boolean stateless) {
    }

    public record Cpu(String mode, String model, String fallback, Topology topology, List<CpuFeature> features,
                      String migratable) {
    }

    public record Topology(int sockets, int dies, int cores, int threads) {
    }

    public record CpuFeature(String policy, String name) {
    }

    /** {@code <clock>}: the offset and, for an absolute one, its start in seconds since the epoch. */
    public record Clock(String offset, Long start, List<Timer> timers) {
    }

    /** A {@code <timer>}: name, tick policy, present, and what the RTC tracks (guest, wall, realtime). */
    public record Timer(String name, String tickpolicy, Boolean present, String track) {
    }

    /** Suspend-to-mem and -disk: null when not stated. */
    public record Pm(Boolean suspendToMem, Boolean suspendToDisk) {
    }

    /** Hugepages with the page size asked for (0: the default size), and whether memory is locked. */
    /**
     * {@code <memoryBacking>}: huge pages (their size, 0 for the default), locked, the access mode, the source
     * type (file, anonymous, memfd), whether the allocation is immediate, whether freed memory is discarded and
     * whether the host may not merge its pages ({@code <nosharepages>}).
     */
    public record MemoryBacking(boolean hugepages, long hugepageSizeKiB, boolean locked, String access,
                                String source, boolean immediate, boolean discard, boolean nosharepages) {
        /** Whether the guest's RAM is a file in its memory backing folder, as libvirt makes it. */
        public boolean fileBacked() {
            return !hugepages && !"memfd".equals(source) && ("file".equals(source) || access != null);
        }
    }

    public record Devices(String emulator, List<Disk> disks, List<Controller> controllers, List<Interface> interfaces,
                          List<Chardev> serials, List<Chardev> consoles, List<Chardev> channels, List<Input> inputs,
                          List<Graphics> graphics, List<Video> videos, List<Watchdog> watchdogs, List<Rng> rngs,
                          Memballoon memballoon, List<Sound> sounds, List<Redirdev> redirdevs,
                          List<Panic> panics, List<Tpm> tpms, List<Chardev> parallels,
                          List<Filesystem> filesystems, List<Iommu> iommus, List<Smartcard> smartcards,
                          List<Vsock> vsocks, List<Hostdev> hostdevs) {
        public Devices withInterfaces(List<Interface> nets) {
            return new Devices(emulator, disks, controllers, nets, serials, consoles, channels, inputs, graphics,
                videos, watchdogs, rngs, memballoon, sounds, redirdevs, panics, tpms, parallels, filesystems, iommus,
                smartcards, vsocks, hostdevs);
        }

        public Devices withGraphics(List<Graphics> newGraphics) {
            return new Devices(emulator, disks, controllers, interfaces, serials, consoles, channels, inputs,
                newGraphics, videos, watchdogs, rngs, memballoon, sounds, redirdevs, panics, tpms, parallels,
                filesystems, iommus, smartcards, vsocks, hostdevs);
        }
    }

    /**
     * A host device passed to the guest: its type (pci, mdev, usb, ...); a PCI one's host address as QEMU writes
     * it ("0000:06:12.1"), a mediated device's UUID, model and display switch; the boot order and the PCI address;
     * a USB one's device node (/dev/bus/usb/BBB/DDD, null when the source names no bus and device), its guestReset
     * mode and USB address.
     */
    public record Hostdev(String type, String pciHost, String mdevUuid, String model, String display, int bootOrder,
                          PciAddress pci, String usbHostDevice, String guestReset, UsbAddress usb) {
    }

    /**
     * A TPM: its model (tpm-tis, tpm-crb, ...), backend type (emulator, passthrough) and TPM version, if given;
     * for an emulator whether its state outlives the definition ({@code persistent_state}), the PCR banks to
     * activate ({@code <active_pcr_banks>}, empty for swtpm's default) and whether its state is encrypted; for an
     * external backend the socket of the TPM emulator someone else runs ({@code <source path>}).
     */
    public record Tpm(String model, String backend, String version, boolean persistentState, List<String> pcrBanks,
                      boolean encrypted, String sourcePath) {
        public Tpm {
            pcrBanks = List.copyOf(pcrBanks);
        }

        /** The TPM version the guest gets: the one given, else libvirt 9.0's default for the model. */
        public String effectiveVersion() {
            if (version != null) {
                return version;
            }
            return "tpm-crb".equals(model) || "spapr-tpm-proxy".equals(model) ? "2.0" : "1.2";
        }
    }

    /**
     * A shared host folder: type (mount), driver (path, handle, virtiofs), access mode, source folder, mount
     * tag, read-only, multidevs policy and PCI address; a virtiofs one's daemon settings ({@code virtiofs}, null for
     * other drivers).
     */
    public record Filesystem(String type, String driver, String accessmode, String source, String target,
                             boolean readonly, String multidevs, PciAddress pci, Virtiofs virtiofs) {
    }

    /**
     * A virtiofs share's virtqueue size and its virtiofsd: the socket of one started elsewhere
     * ({@code <source socket>}), else the binary ({@code <binary path>}, null for the system's) and its switches
     * as written (xattr, cache mode, sandbox, posix and flock locks, thread pool size), null when not given.
     */
    public record Virtiofs(Integer queue, String socket, String binary, String xattr, String cache, String sandbox,
                           String posixLock, String flock, Integer threadPoolSize) {
    }

    /** An IOMMU: its model and the {@code <driver>} switches (intremap, caching_mode, eim, iotlb, aw_bits). */
    public record Iommu(String model, java.util.Map<String, String> driver, PciAddress pci) {
    }

    /**
     * A smartcard: its mode (passthrough, host, host-certificates); for passthrough the chardev type and the whole
     * host side ({@code chardev}), for host-certificates the certificates and the NSS database (null: libvirt's).
     */
    public record Smartcard(String mode, String type, Chardev chardev, List<String> certificates, String database) {
        public Smartcard {
            certificates = List.copyOf(certificates);
        }
    }

    /** A virtio vsock: the guest's context id (null when chosen at start) and PCI address. */
    public record Vsock(Integer cid, PciAddress pci) {
    }

    /** A redirected USB device: its bus and the host side (spicevmc: SPICE's usbredir channel). */
    /**
     * A redirected USB device: its bus, host side type (spicevmc, tcp, ...), the USB address the definition
     * gives it (null when none) and the domain's {@code <redirfilter>} in QEMU's filter syntax (null when none).
     */
    public record Redirdev(String bus, String type, UsbAddress usb, String filter) {
    }

    /** A port on a virtio-serial controller: the controller's index, its bus and the port number. */
    public record VirtioSerialAddress(int controller, int bus, int port) {
    }

    /** A USB address: the USB controller's index and the port, dotted through hubs ("1", "1.2"). */
    public record UsbAddress(int bus, String port) {
    }

    /** A panic notifier: its model (isa, pvpanic, hyperv, ...) and the ISA I/O port it is given, if any. */
    public record Panic(String model, String ioport) {
    }

    /** A sound card: its model, its HDA codec types (duplex, micro, output), the {@code <audio id>} it plays to. */
    public record Sound(String model, List<String> codecs, int audioId, PciAddress pci) {
    }

    /** A PCI address; {@code multifunction} is null when not stated. */
    /** A device's guest PCI address, with the device's {@code <acpi index>} (null when none). */
    public record PciAddress(int domain, int bus, int slot, int function, Boolean multifunction, Integer acpiIndex) {
        public PciAddress(int domain, int bus, int slot, int function, Boolean multifunction) {
            this(domain, bus, slot, function, multifunction, null);
        }

        public String qemuAddr() {
            return function == 0 ? "0x" + Integer.toHexString(slot)
                : "0x" + Integer.toHexString(slot) + ".0x" + Integer.toHexString(function);
        }
    }

    /** A drive address on an IDE, SATA, SCSI or floppy controller. */
    public record DriveAddress(int controller, int bus, int target, int unit) {
    }

    public record NetworkSource(String protocol, String name, String host, String port) {
    }

    public record Disk(String type, String device, String format, String cache, String source,
                       NetworkSource network, String target, String bus, boolean readonly, boolean shareable,
                       int bootOrder, DriveAddress drive, PciAddress pci, String serial, String wwn,
                       String removable, String discard, String io, String iothread, DiskEncryption encryption,
                       DiskDriverOptions driverOptions) {
        public boolean isCdrom() {
            return "cdrom".equals(device);
        }

        public boolean hasSource() {
            return source != null || network != null;
        }
    }

    /** A disk's {@code <encryption>}: its format and the passphrase secret, named by UUID or by volume usage. */
    /**
     * A virtio disk's {@code <driver>} switches for its queues: ioeventfd and event_idx (on/off, null when not
     * given), the number of queues and their size (null when not given).
     */
    public record VirtioQueues(String ioeventfd, String eventIdx, Integer queues, Integer queueSize) {
    }

    public record DiskEncryption(String format, String secretUuid, String secretUsage) {
    }

    /**
     * A disk driver's {@code queues} and {@code queue_size} (virtio), and its write and read error policies
     * ({@code error_policy}, {@code rerror_policy}: stop, report, ignore, enospace), {@code detect_zeroes},
     * {@code ioeventfd} and {@code event_idx}; null when not given.
     */
    public record DiskDriverOptions(Integer queues, Integer queueSize, String errorPolicy, String rerrorPolicy,
                                    String detectZeroes, String ioeventfd, String eventIdx) {
    }

    /**
     * A controller; {@code target} holds its {@code <target>} attributes and a {@code node} entry for its NUMA node;
     * {@code modelName} is its {@code <model name>} (the QEMU device of a PCI controller); {@code vectors} is a
     * virtio-serial controller's MSI vector count (null when not given).
     */
    public record Controller(String type, int index, String model, Integer ports, Integer masterStartPort,
                             PciAddress pci, java.util.Map<String, String> target, String modelName, Integer vectors) {
    }

    public record Interface(String type, String mac, String model, String sourceBridge, String sourceNetwork,
                            String targetDev, String script, int bootOrder, PciAddress pci, Integer rxQueueSize) {
    }

    /**
     * A serial, console or channel: the host side (type and source) and the guest side (target); a qemu-vdagent's
     * source gives its clipboard sharing ({@code <clipboard copypaste>}) and mouse mode, null when not set; a
     * virtio channel's port on its virtio-serial controller when the definition gives it (null otherwise).
     */
    public record Chardev(String type, String path, boolean append, String mode, String host, String service,
                          String protocol, String targetType, Integer targetPort, String targetName,
                          String logFile, String logAppend, String bindHost, String bindService,
                          String clipboard, String mouseMode, VirtioSerialAddress serialAddress) {
    }

    /**
     * An input device: its type, bus, the USB address the definition gives a USB one and the PCI address it gives
     * a virtio one (null when none).
     */
    public record Input(String type, String bus, UsbAddress usb, PciAddress pci) {
    }

    /** A graphics listen: its type and, as it has them, address, socket path and network name. */
    public record Listen(String type, String address, String socket, String network) {
    }

    /** A graphics console; spice's option children are kept as (element, attribute, value) triples. */
    /** A graphics device; {@code websocket} and {@code sharePolicy} are VNC's (null when not given). */
    public record Graphics(String type, Integer port, Integer tlsPort, boolean autoport, String passwd,
                           List<Listen> listens, String defaultMode, List<String[]> spiceOptions, Integer websocket,
                           String sharePolicy) {
        public Graphics withPorts(Integer newPort, Integer newTlsPort) {
            return new Graphics(type, newPort, newTlsPort, autoport, passwd, listens, defaultMode, spiceOptions,
                websocket, sharePolicy);
        }
    }

    /** A video device; {@code accel3d} is its {@code <acceleration accel3d>} (null when not given). */
    public record Video(String model, Long vram, Long ram, Long vgamem, Long vram64, Integer heads,
                        PciAddress pci, String accel3d) {
    }

    public record Watchdog(String model, String action, PciAddress pci) {
    }

    /** A random number generator; {@code egd} is the chardev of an EGD backend (null for the others). */
    public record Rng(String model, String backend, String path, Long rateBytes, Long ratePeriod, PciAddress pci,
                      Chardev egd) {
    }

    /** The balloon; {@code statsPeriod} is its {@code <stats period>} in seconds, 0 when not collecting. */
    public record Memballoon(String model, PciAddress pci, int statsPeriod, String autodeflate,
                             String freePageReporting) {
    }
}
