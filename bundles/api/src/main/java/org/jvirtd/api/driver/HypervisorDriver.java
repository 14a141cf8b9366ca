package org.jvirtd.api.driver;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.api.domain.VcpuInfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One hypervisor: what runs a domain. Registered as a service with {@link #PROPERTY} set to
 * {@link #name()}.
 *
 * <p>Like libvirt's driver table, every operation has a default that reports "not supported". Core
 * does the shared work before calling: it finds the domain, checks read-only access and the state,
 * holds the domain's job, and afterwards saves status and publishes events. A method here holds
 * only hypervisor logic. Definitions cross this boundary as libvirt domain XML.
 */
@ConsumerType
public interface HypervisorDriver {
    /** Service property naming the driver: {@code qemu}, {@code lxc}, {@code xen}, {@code test}. */
    String PROPERTY = "jvirtd.driver";

    /** The driver's name, equal to its {@link #PROPERTY} value and its URI scheme. */
    String name();

    /** What virConnectGetType returns ("QEMU", "TEST", ...). */
    String type();

    /** The error domain this driver's errors carry. */
    ErrorDomain errorDomain();

    /** The hypervisor's version as libvirt encodes it: major * 1,000,000 + minor * 1,000 + release. */
    long hypervisorVersion();

    /** Whether this driver serves a connection URI (scheme without transport, for example qemu:///system). */
    default boolean accepts(URI uri) {
        String path = uri.getPath();
        return name().equals(uri.getScheme()) && ("/system".equals(path) || "/session".equals(path));
    }

    /** The capabilities XML (virConnectGetCapabilities). */
    String capabilities();

    /**
     * The domain capabilities XML (virConnectGetDomainCapabilities) for an emulator, architecture, machine
     * type and virtualization type, each null for the driver's default.
     */
    default String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        throw VirtErrors.noSupport("virConnectGetDomainCapabilities");
    }

    /**
     * The primary security driver (virNodeGetSecurityModel). Empty model and DOI, the default, mean that
     * the driver has none, and virsh then prints no security lines.
     */
    default Connection.SecurityModel securityModel() {
        return new Connection.SecurityModel("", "");
    }

    /**
     * The primary security driver's label of a domain (virDomainGetSecurityLabel); the default is libvirt's
     * answer where nothing is labelled: an empty label, not enforcing.
     */
    default Connection.SecurityLabel securityLabel(DomainHandle domain) {
        return new Connection.SecurityLabel("", false);
    }

    /**
     * virNodeGetInfo as the hypervisor sees the host, or null (the default) for the host as Linux sees it. A Xen
     * driver answers from the hypervisor, since its control domain sees only its own share of CPUs and memory.
     */
    default Connection.NodeInfo nodeInfo() {
        return null;
    }

    /** The maximum vCPUs a guest may have (virConnectGetMaxVcpus). */
    default int maxVcpus(String type) {
        throw VirtErrors.noSupport("virConnectGetMaxVcpus");
    }

    /**
     * Checks and completes a definition before core stores it: rejects what the hypervisor cannot
     * run, fills in defaults. Returns the XML to store.
     */
    default String validateDefinition(String xml) {
        return xml;
    }

    /**
     * virDomainUndefineFlags removed the persistent definition of an inactive domain ({@code flags}:
     * DomainFlags.UNDEFINE_*): the driver removes what it kept for it, as libvirt does (an emulated TPM's state
     * unless UNDEFINE_KEEP_TPM).
     */
    default void undefined(DomainHandle domain, int flags) {
    }

    /** Starts a defined domain; returns once it runs (or is paused, when asked). */
    default void start(DomainHandle domain, boolean paused) {
        throw VirtErrors.noSupport("virDomainCreate");
    }

    /** Asks the guest to shut down; the state changes later through {@link DomainHandle#stateChanged}. */
    default void shutdown(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainShutdown");
    }

    default void reboot(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainReboot");
    }

    /** Stops the domain at once; returns when it no longer runs. */
    default void destroy(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainDestroy");
    }

    default void suspend(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainSuspend");
    }

    default void resume(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainResume");
    }

    /** Writes the running domain's state to {@code file} and stops it. */
    default void save(DomainHandle domain, Path file) {
        throw VirtErrors.noSupport("virDomainSave");
    }

    /** The domain XML stored in a save image, so core knows which domain it belongs to. */
    default String saveImageXml(Path file) {
        throw VirtErrors.noSupport("virDomainSaveImageGetXMLDesc");
    }

    /** Starts the domain from a save image written by {@link #save}. */
    /**
     * Dumps a running guest's memory into {@code file}: memory only in a virDomainCoreDumpFormat (0 ELF, 1-3
     * kdump zlib/lzo/snappy, 4 Windows dump), or the hypervisor's whole state stream; the guest's run state is
     * left as it was.
     */
    default void coreDump(DomainHandle domain, Path file, int format, boolean memoryOnly) {
        throw VirtErrors.noSupport("virDomainCoreDumpWithFormat");
    }

    /**
     * Whether the guest's vCPUs stop before a save and start after a restore as events of their own (libvirt's
     * QEMU driver reports QEMU's STOP and RESUME: "Suspended Paused" before "Stopped Saved", "Resumed Snapshot"
     * after "Started Restored"); the test, LXC and libxl drivers report only the stop and the start.
     */
    default boolean reportsPauseAroundSave() {
        return false;
    }

    /**
     * Whether live tuning (vcpupin, emulatorpin, iothreadpin, schedinfo, blkdeviotune) is reported as a TUNABLE
     * event, as libvirt's QEMU driver reports it; its test driver does not.
     */
    default boolean reportsTunableEvents() {
        return false;
    }

    /** Whether the guest of a save image was running when saved (it resumes so), or paused. */
    default boolean saveImageWasRunning(Path file) {
        return true;
    }

    /** Replaces the definition in a save image and, unless null, whether the guest resumes running. */
    default void saveImageDefine(Path file, String xml, Boolean running) {
        throw VirtErrors.noSupport("virDomainSaveImageDefineXML");
    }

    default void restore(DomainHandle domain, Path file, boolean paused) {
        throw VirtErrors.noSupport("virDomainRestore");
    }

    /**
     * Takes the snapshot a client asked for (virDomainSnapshotCreateXML without REDEFINE): {@code snapshotXml}
     * names it and holds the client's memory and disk choices; core has filled in name, state, time and parent.
     * Disk snapshots are taken (and for a running domain, the live definition changed to new overlays through
     * {@link DomainHandle#setLiveXml}); returns the snapshot XML completed with every disk's choice and file.
     * {@code flags} are virDomainSnapshotCreateFlags (DISK_ONLY, REUSE_EXT, ATOMIC, ...).
     */
    default String createSnapshot(DomainHandle domain, boolean active, String snapshotXml, int flags) {
        throw VirtErrors.noSupport("virDomainSnapshotCreateXML");
    }

    /**
     * Puts the domain's disks (and while {@code active}, its memory and device state) back to a snapshot taken
     * by {@link #createSnapshot}; core has stopped or started the domain as the revert needs.
     */
    default void revertSnapshot(DomainHandle domain, boolean active, String snapshotXml) {
        throw VirtErrors.noSupport("virDomainRevertToSnapshot");
    }

    /** Removes a snapshot's data from the domain's disks (the metadata is core's). */
    default void deleteSnapshot(DomainHandle domain, boolean active, String snapshotXml) {
        throw VirtErrors.noSupport("virDomainSnapshotDelete");
    }

    /**
     * Takes over a domain that was running before this driver instance came up (bundle update or
     * daemon restart), from the runtime facts it recorded. Returns false if the domain is gone.
     */
    default boolean reattach(DomainHandle domain) {
        return false;
    }

    /** CPU time used so far, in nanoseconds. */
    default long cpuTimeNanos(DomainHandle domain) {
        return 0;
    }

    default void attachDevice(DomainHandle domain, String deviceXml) {
        throw VirtErrors.noSupport("virDomainAttachDeviceFlags");
    }

    default void detachDevice(DomainHandle domain, String deviceXml) {
        throw VirtErrors.noSupport("virDomainDetachDeviceFlags");
    }


    /**
     * virDomainBlockStatsFlags of a running domain: the counters of the disk named {@code disk} (target or
     * source path), or of all disks summed for "", as libvirt's typed parameters (rd_operations, rd_bytes,
     * wr_operations, wr_bytes, flush_operations and the *_total_times in ns; errs only where known).
     */
    default List<TypedParameter> blockStats(DomainHandle domain, String disk) {
        throw VirtErrors.noSupport("virDomainBlockStats");
    }

    /** virDomainInterfaceStats of a running domain: the interface named by target device or MAC address. */
    default InterfaceStats interfaceStats(DomainHandle domain, String device) {
        throw VirtErrors.noSupport("virDomainInterfaceStats");
    }

    /** virDomainMemoryStats of a running domain: the balloon's and the guest's figures, then the RSS. */
    default List<MemoryStat> memoryStats(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainMemoryStats");
    }

    /**
     * The statistics groups of virConnectGetAllDomainStats this driver fills beyond "state" (which core
     * fills), for the groups set in {@code groups} (DomainStats.CPU_TOTAL, BALLOON, ...); a driver leaves
     * out what it cannot read, as libvirt does. Called for inactive domains too.
     */
    default List<TypedParameter> domainStats(DomainHandle domain, boolean active, int groups) {
        return List.of();
    }

    /**
     * The host side of a running domain's console or serial device named by alias ({@code devName}), or of
     * its first console for null: the pseudo-terminal QEMU opened for it.
     */
    default Path consolePath(DomainHandle domain, String devName) {
        throw VirtErrors.noSupport("virDomainOpenConsole");
    }

    /**
     * The namespace files of a running container's init, in libvirt's order (user, ipc, uts, net, pid, mnt),
     * for virDomainLxcOpenNamespace.
     */
    default List<Path> namespaceFiles(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainLxcOpenNamespace");
    }

    /**
     * virDomainOpenChannel: the UNIX socket the hypervisor listens on for a running domain's channel, named by
     * alias or virtio target name (the first channel for null).
     */
    default Path channelSocket(DomainHandle domain, String name) {
        throw VirtErrors.noSupport("virDomainOpenChannel");
    }

    /** virDomainGetBlockInfo: a disk's sizes, from QEMU while {@code active}, from its file otherwise. */
    default BlockInfo blockInfo(DomainHandle domain, boolean active, String disk) {
        throw VirtErrors.noSupport("virDomainGetBlockInfo");
    }

    /** Asks a running guest's balloon for {@code kib} of memory (virDomainSetMemoryFlags with AFFECT_LIVE). */
    default void setBalloon(DomainHandle domain, long kib) {
        throw VirtErrors.noSupport("virDomainSetMemoryFlags");
    }

    /**
     * Brings the running guest to {@code count} vCPUs by hotplugging or unplugging vCPUs (count is within the
     * definition's maximum); returns once the hypervisor has them.
     */
    default void setLiveVcpus(DomainHandle domain, int count) {
        throw VirtErrors.noSupport("virDomainSetVcpusFlags");
    }

    /** The vCPUs a running guest has online now, as the hypervisor counts them. */
    default int onlineVcpus(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetVcpusFlags");
    }

    /**
     * A running guest's memory limits from its cgroup, in KiB: hard_limit, soft_limit and swap_hard_limit (ULLONG),
     * 9007199254740991 (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) where there is none.
     */
    default List<TypedParameter> liveMemoryParameters(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetMemoryParameters");
    }

    /** Writes memory limits (field to KiB, the unlimited value for none) to a running guest's cgroup, in order. */
    default void setLiveMemoryParameters(DomainHandle domain, Map<String, Long> kib) {
        throw VirtErrors.noSupport("virDomainSetMemoryParameters");
    }

    /**
     * How many scheduler parameters a guest of this driver has (virDomainGetSchedulerType's nparams); throws
     * OPERATION_INVALID when the host has no CPU controller.
     */
    default int schedulerParameterCount() {
        throw VirtErrors.noSupport("virDomainGetSchedulerType");
    }

    /** A running guest's scheduler parameters from its cgroup, in libvirt's order (cpu_shares first). */
    default List<TypedParameter> liveSchedulerParameters(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetSchedulerParameters");
    }

    /** Writes scheduler parameters (cpu_shares, the periods and quotas) to a running guest's cgroup. */
    default void setLiveSchedulerParameters(DomainHandle domain, List<TypedParameter> params) {
        throw VirtErrors.noSupport("virDomainSetSchedulerParameters");
    }

    /** A running guest's cpu_time, user_time and system_time (ULLONG, ns) from its cgroup's accounting. */
    default List<TypedParameter> liveCpuTotals(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetCPUStats");
    }

    /** The ns of CPU time a running guest has used on each host CPU, in host CPU order. */
    default List<Long> liveCpuTimes(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetCPUStats");
    }

    /** A running guest's block I/O weight from its cgroup (blkio.bfq.weight/blkio.weight, v2 io.bfq.weight/io.weight). */
    default int liveBlkioWeight(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetBlkioParameters");
    }

    /** Writes a running guest's block I/O weight to its cgroup. */
    default void setLiveBlkioWeight(DomainHandle domain, int weight) {
        throw VirtErrors.noSupport("virDomainSetBlkioParameters");
    }

    /** Lets a running guest's vCPU thread run on exactly {@code cpus}. */
    default void pinVcpu(DomainHandle domain, int vcpu, java.util.BitSet cpus) {
        throw VirtErrors.noSupport("virDomainPinVcpuFlags");
    }

    /** Lets a running guest's emulator threads (every thread but the vCPUs') run on exactly {@code cpus}. */
    default void pinEmulator(DomainHandle domain, java.util.BitSet cpus) {
        throw VirtErrors.noSupport("virDomainPinEmulator");
    }

    /** Adds IOThread {@code id} (QEMU object iothread{@code id}) to a running guest; pins it when {@code cpus} is not null. */
    default void addIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
        throw VirtErrors.noSupport("virDomainAddIOThread");
    }

    /** Removes IOThread {@code id} from a running guest. */
    default void delIothread(DomainHandle domain, int id) {
        throw VirtErrors.noSupport("virDomainDelIOThread");
    }

    /** Lets a running guest's IOThread {@code id} run on exactly {@code cpus}. */
    default void pinIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
        throw VirtErrors.noSupport("virDomainPinIOThread");
    }

    /**
     * Sets a running guest's IOThread properties: libvirt's parameter names (poll_max_ns, poll_grow, poll_shrink,
     * thread_pool_min, thread_pool_max) to their values.
     */
    default void setIothreadParams(DomainHandle domain, int id, Map<String, Long> values) {
        throw VirtErrors.noSupport("virDomainSetIOThreadParams");
    }

    /**
     * A running guest's throttle of disk {@code target} as the hypervisor has it: libvirt's parameter names
     * (total_bytes_sec ... write_iops_sec_max_length) to numbers, and group_name to a string.
     */
    default Map<String, Object> liveBlockIoTune(DomainHandle domain, String target) {
        throw VirtErrors.noSupport("virDomainGetBlockIoTune");
    }

    /** Replaces a running guest's throttle of disk {@code target} by these complete values (names as above). */
    default void setLiveBlockIoTune(DomainHandle domain, String target, Map<String, Object> values) {
        throw VirtErrors.noSupport("virDomainSetBlockIoTune");
    }

    /**
     * The disks of a running guest that stopped on an I/O error, by target, with libvirt's virDomainDiskErrorCode
     * (1 unspecified, 2 no space); disks without an error are left out.
     */
    default Map<String, Integer> diskErrors(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetDiskErrors");
    }

    /** Asks a running guest to suspend itself (0 to memory, 1 to disk, 2 hybrid), as its agent does. */
    default void pmSuspend(DomainHandle domain, int target) {
        throw VirtErrors.noSupport("virDomainPMSuspendForDuration");
    }

    /** Wakes a running guest suspended to memory. */
    default void pmWakeup(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainPMWakeup");
    }

    /** Brings vCPU {@code vcpu} of a running guest online (hotplug) or offline (unplug). */
    default void setLiveVcpu(DomainHandle domain, int vcpu, boolean online) {
        throw VirtErrors.noSupport("virDomainSetVcpu");
    }

    /**
     * Binds a running guest's memory to the host NUMA nodes of {@code nodeset} ("0-1"); with null only checks
     * that the driver can (libvirt's checks come before it compares the mode).
     */
    default void setLiveNumaNodeset(DomainHandle domain, String nodeset) {
        throw VirtErrors.noSupport("virDomainSetNumaParameters");
    }

    /**
     * Shapes a running guest's interface (named by its host-side target device): "inbound" and "outbound" to
     * their average, peak, burst (and floor) in KiB/s and KiB, an empty map for no limit in that direction.
     */
    default void setLiveBandwidth(DomainHandle domain, String device, Map<String, Map<String, Long>> bandwidth) {
        throw VirtErrors.noSupport("virDomainSetInterfaceParameters");
    }

    /** Starts counting perf event {@code name} (libvirt's name, cpu_cycles...) for a running guest. */
    default void enableLivePerfEvent(DomainHandle domain, String name) {
        throw new org.jvirtd.api.VirtException(org.jvirtd.api.ErrorCode.ARGUMENT_UNSUPPORTED, errorDomain(),
            "unable to enable host cpu perf event for " + name);
    }

    /**
     * Tells the hypervisor a running guest's new {@code <on_poweroff>}, {@code <on_reboot>} or {@code <on_crash>}
     * (element name) action; the default does nothing, for drivers that read the live definition when it happens.
     */
    default void setLiveLifecycleAction(DomainHandle domain, String element, String action) {
    }

    /** Changes the medium of a running guest's removable disk (cdrom, floppy) to the one {@code deviceXml} gives. */
    default void updateDevice(DomainHandle domain, String deviceXml) {
        throw VirtErrors.noSupport("virDomainUpdateDeviceFlags");
    }

    /**
     * A running guest's agent: a command by name with JSON-like arguments (maps, lists, strings, numbers) and
     * its answer, within {@code timeoutSeconds} (negative: the driver's default; 0: sent without waiting for an
     * answer, for guest-shutdown which has none). Refused when the domain has no agent channel or the agent
     * is not connected, as libvirt refuses it.
     */
    default Object agent(DomainHandle domain, String command, Map<String, Object> arguments, int timeoutSeconds) {
        throw VirtErrors.noSupport("virDomainQemuAgentCommand");
    }

    /** A raw agent command and the agent's raw JSON answer (virDomainQemuAgentCommand). */
    default String agentRaw(DomainHandle domain, String json, int timeoutSeconds) {
        throw VirtErrors.noSupport("virDomainQemuAgentCommand");
    }

    /** The host name a DHCP lease of the running guest's interfaces carries, null when none does. */
    default String leaseHostname(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetHostname");
    }

    /** Whether the guest's agent is there and connected now (so a shutdown without a mode may use it). */
    default boolean agentConnected(DomainHandle domain) {
        return false;
    }

    /** After the guest's clock was set: lets the hypervisor drop the timer ticks it still owes (x86 RTC). */
    default void clockSet(DomainHandle domain) {
    }

    /** Presses keys given as QEMU's key numbers (qnum: XT scan codes, 0x80 set for 0xe0-prefixed ones). */
    default void sendKey(DomainHandle domain, int[] qnumKeys, int holdtimeMs) {
        throw VirtErrors.noSupport("virDomainSendKey");
    }

    default void injectNmi(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainInjectNMI");
    }

    default void reset(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainReset");
    }

    /** Sets how often a running guest's balloon collects its figures (seconds, 0 never). */
    default void setStatsPeriod(DomainHandle domain, int seconds) {
        throw VirtErrors.noSupport("virDomainSetMemoryStatsPeriod");
    }

    /** virDomainBlockPeek: {@code size} bytes from {@code offset} of a disk named by target or source path. */
    default byte[] blockPeek(DomainHandle domain, String disk, long offset, int size) {
        throw VirtErrors.noSupport("virDomainBlockPeek");
    }

    /** virDomainMemoryPeek of a running domain: physical addresses, or virtual ones of its first vCPU. */
    default byte[] memoryPeek(DomainHandle domain, long offset, int size, boolean physical) {
        throw VirtErrors.noSupport("virDomainMemoryPeek");
    }

    /** virDomainStartDirtyRateCalc of a running domain; {@code flags} name the mode (VIR_DOMAIN_DIRTYRATE_MODE_*). */
    default void startDirtyRateCalc(DomainHandle domain, int seconds, int flags) {
        throw VirtErrors.noSupport("virDomainStartDirtyRateCalc");
    }

    /**
     * virDomainOpenGraphicsFD of a running domain: one end of a new socket pair, whose other end the display
     * server of graphics device {@code index} took as a client (without its authentication when
     * {@code skipAuth}); the caller owns the returned descriptor.
     */
    default int openGraphicsFd(DomainHandle domain, int index, boolean skipAuth) {
        throw VirtErrors.noSupport("virDomainOpenGraphicsFD");
    }

    /** virDomainScreenshot of a running domain. */
    default Screenshot screenshot(DomainHandle domain, int screen) {
        throw VirtErrors.noSupport("virDomainScreenshot");
    }

    /** virDomainGetVcpus of a running domain. */
    default List<VcpuInfo> vcpuInfo(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainGetVcpus");
    }

    /** virDomainInterfaceAddresses of a running domain from one source (DomainInterface.SOURCE_*). */
    default List<DomainInterface> interfaceAddresses(DomainHandle domain, int source) {
        throw VirtErrors.noSupport("virDomainInterfaceAddresses");
    }

    /** The groups {@link #domainStats} can fill; asking for others with ENFORCE_STATS is refused. */
    default int statsGroups() {
        return DomainStats.STATE;
    }

    /**
     * virConnectDomainXMLFromNative: the domain XML for a configuration in a native format of this hypervisor
     * (for Xen "xen-xl", an xl.cfg file).
     */
    default String domainXmlFromNative(String format, String config) {
        throw VirtErrors.noSupport("virConnectDomainXMLFromNative");
    }

    /** virConnectDomainXMLToNative: a domain XML document in a native format of this hypervisor. */
    default String domainXmlToNative(String format, String xml) {
        throw VirtErrors.noSupport("virConnectDomainXMLToNative");
    }

    /** The driver's disk operations of running domains (resize, threshold, block jobs). */
    default BlockOperations blockOperations() {
        return new BlockOperations() {
        };
    }

    /** The driver's checkpoints, backups and domain job. */
    default BackupOperations backupOperations() {
        return new BackupOperations() {
        };
    }
}
