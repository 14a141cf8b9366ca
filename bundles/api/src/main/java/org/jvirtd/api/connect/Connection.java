package org.jvirtd.api.connect;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;

import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.api.event.DomainEventListener;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open connection to one driver, with libvirt's domain API. Every method throws
 * {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure; calls that change
 * something fail with VIR_ERR_OPERATION_DENIED on a read-only connection.
 */
@ProviderType
public interface Connection extends AutoCloseable {
    URI uri();

    boolean isReadOnly();

    /** virConnectGetType: "QEMU", "TEST", ... */
    String type();

    /** virConnectGetVersion: the hypervisor version. */
    long hypervisorVersion();

    /** virConnectGetHostname; answers without waiting (the RPC server calls it on its I/O thread). */
    String hostname();

    String capabilities();

    int maxVcpus(String type);

    List<DomainRef> listAllDomains(int flags);

    /** Answers from memory without waiting for a driver or a domain's lock (called on the RPC I/O thread). */
    DomainRef lookupByName(String name);

    /** Answers from memory without waiting for a driver or a domain's lock (called on the RPC I/O thread). */
    DomainRef lookupByUuid(UUID uuid);

    DomainRef lookupById(int id);

    DomainRef define(String xml, int flags);

    void undefine(DomainRef domain, int flags);

    /** Creates and starts a transient domain. */
    DomainRef createXml(String xml, int flags);

    /** Starts a defined domain (from its managed save image when there is one). */
    DomainRef create(DomainRef domain, int flags);

    void shutdown(DomainRef domain, int flags);

    void reboot(DomainRef domain, int flags);

    void destroy(DomainRef domain, int flags);

    void suspend(DomainRef domain);

    void resume(DomainRef domain);

    void save(DomainRef domain, String file, String xml, int flags);

    void restore(String file, String xml, int flags);

    /** virDomainSaveParams: "file" and "dxml" as typed parameters; without a file it is a managed save. */
    default void saveParams(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSaveParams");
    }

    /** virDomainRestoreParams: "file" and "dxml" as typed parameters. */
    default void restoreParams(List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainRestoreParams");
    }

    void managedSave(DomainRef domain, int flags);

    boolean hasManagedSave(DomainRef domain);

    void managedSaveRemove(DomainRef domain);

    String xml(DomainRef domain, int flags);

    DomainInfo info(DomainRef domain);

    DomainStatus status(DomainRef domain);

    boolean isActive(DomainRef domain);

    boolean isPersistent(DomainRef domain);

    boolean autostart(DomainRef domain);

    void setAutostart(DomainRef domain, boolean autostart);

    void attachDevice(DomainRef domain, String xml, int flags);

    void detachDevice(DomainRef domain, String xml, int flags);

    /** virDomainDetachDeviceAlias: removes the device with this alias, live and/or persistent. */
    default void detachDeviceAlias(DomainRef domain, String alias, int flags) {
        throw VirtErrors.noSupport("virDomainDetachDeviceAlias");
    }

    /** virDomainUpdateDeviceFlags: a removable disk's medium (a cdrom's ISO) changed, live and/or persistent. */
    default void updateDevice(DomainRef domain, String xml, int flags) {
        throw VirtErrors.noSupport("virDomainUpdateDeviceFlags");
    }

    /** Delivers this driver's domain events to a listener until the returned handle is closed. */
    AutoCloseable subscribe(DomainEventListener listener);

    /** virConnectDomainXMLFromNative: the domain XML for a native configuration (format such as "xen-xl"). */
    default String domainXmlFromNative(String format, String config, int flags) {
        throw VirtErrors.noSupport("virConnectDomainXMLFromNative");
    }

    /** virConnectDomainXMLToNative: a domain XML document in a native format (such as "xen-xl"). */
    default String domainXmlToNative(String format, String xml, int flags) {
        throw VirtErrors.noSupport("virConnectDomainXMLToNative");
    }

    /** virDomainGetOSType: "hvm", "linux", "exe", "xen". */
    default String osType(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetOSType");
    }

    /**
     * virDomainGetMetadata: the description (type 0), title (1) or the {@code <metadata>} element in
     * namespace {@code uri} (2) of the live or persistent definition (flags AFFECT_LIVE, AFFECT_CONFIG).
     */
    default String metadata(DomainRef domain, int type, String uri, int flags) {
        throw VirtErrors.noSupport("virDomainGetMetadata");
    }

    /**
     * virDomainSetMetadata: sets (or with a null or empty value removes) the description, title or the element
     * in namespace {@code uri} stored under prefix {@code key}.
     */
    default void setMetadata(DomainRef domain, int type, String metadata, String key, String uri, int flags) {
        throw VirtErrors.noSupport("virDomainSetMetadata");
    }

    /** The domain snapshot API of this connection (virDomainSnapshot*). */
    default DomainSnapshots snapshots() {
        throw VirtErrors.noSupport("virDomainSnapshotCreateXML");
    }

    /** virNodeGetInfo: the host's CPU model, memory and topology. */
    default NodeInfo nodeInfo() {
        throw VirtErrors.noSupport("virNodeGetInfo");
    }

    /** virNodeGetSecurityModel: the security driver (selinux, apparmor, dac) and its DOI. */
    default SecurityModel securityModel() {
        throw VirtErrors.noSupport("virNodeGetSecurityModel");
    }

    /**
     * virConnectGetDomainCapabilities: what a domain of this emulator, architecture, machine type and
     * virtualization type can use; each argument may be null for the driver's default.
     */
    default String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        throw VirtErrors.noSupport("virConnectGetDomainCapabilities");
    }

    /** virDomainGetSecurityLabel: the primary security driver's label of the domain's process. */
    default SecurityLabel securityLabel(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetSecurityLabel");
    }

    /** virDomainGetVcpusFlags: the vCPU count for flags (live, config, maximum). */
    default int vcpus(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetVcpusFlags");
    }

    /**
     * virDomainSetVcpusFlags: the vCPUs online (live by hotplug, or at next boot) or, with
     * VIR_DOMAIN_VCPU_MAXIMUM, the persistent maximum.
     */
    default void setVcpus(DomainRef domain, int count, int flags) {
        throw VirtErrors.noSupport("virDomainSetVcpusFlags");
    }

    /** virDomainPinVcpuFlags: the host CPUs vCPU {@code vcpu} may run on (live and/or for the next boot). */
    default void pinVcpu(DomainRef domain, int vcpu, java.util.BitSet cpus, int flags) {
        throw VirtErrors.noSupport("virDomainPinVcpuFlags");
    }

    /** virDomainPinEmulator: the host CPUs of the emulator's own threads (live and/or for the next boot). */
    default void pinEmulator(DomainRef domain, java.util.BitSet cpus, int flags) {
        throw VirtErrors.noSupport("virDomainPinEmulator");
    }

    /** virDomainGetEmulatorPinInfo: the host CPUs of the emulator's threads, live or persistent. */
    default java.util.BitSet emulatorPinInfo(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetEmulatorPinInfo");
    }

    /** virDomainGetHostname: the guest's host name, from its agent (or, with flag LEASE, DHCP leases). */
    default String hostname(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetHostname");
    }

    /** virDomainGetTime: the guest's clock as seconds and nanoseconds since the epoch. */
    default long[] guestTime(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetTime");
    }

    /** virDomainSetTime: sets the guest's clock, or with VIR_DOMAIN_TIME_SYNC (1) resyncs it from its RTC. */
    default void setGuestTime(DomainRef domain, long seconds, int nseconds, int flags) {
        throw VirtErrors.noSupport("virDomainSetTime");
    }

    /** virDomainFSFreeze: freezes the guest's file systems (all when the list is empty); returns how many. */
    default int fsFreeze(DomainRef domain, List<String> mountpoints, int flags) {
        throw VirtErrors.noSupport("virDomainFSFreeze");
    }

    /** virDomainFSThaw: thaws them again; returns how many. */
    default int fsThaw(DomainRef domain, List<String> mountpoints, int flags) {
        throw VirtErrors.noSupport("virDomainFSThaw");
    }

    /** virDomainFSTrim: discards unused blocks of the guest's file systems. */
    default void fsTrim(DomainRef domain, String mountPoint, long minimum, int flags) {
        throw VirtErrors.noSupport("virDomainFSTrim");
    }

    /** virDomainGetFSInfo: the guest's mounted file systems and the domain disks under each. */
    default List<FsInfo> fsInfo(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetFSInfo");
    }

    /** virDomainGetGuestInfo: what the guest agent tells, for the VIR_DOMAIN_GUEST_INFO_* types (0 all). */
    default List<TypedParameter> guestInfo(DomainRef domain, int types, int flags) {
        throw VirtErrors.noSupport("virDomainGetGuestInfo");
    }

    /** virDomainGetGuestVcpus: the guest's vCPUs, the online ones and those it can take offline. */
    default List<TypedParameter> guestVcpus(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetGuestVcpus");
    }

    /** virDomainSetGuestVcpus: takes the vCPUs of {@code cpumap} online (state 1) or offline (0) in the guest. */
    default void setGuestVcpus(DomainRef domain, String cpumap, int state, int flags) {
        throw VirtErrors.noSupport("virDomainSetGuestVcpus");
    }

    /** virDomainSetUserPassword: sets a guest account's password (VIR_DOMAIN_PASSWORD_ENCRYPTED 1: crypted). */
    default void setUserPassword(DomainRef domain, String user, String password, int flags) {
        throw VirtErrors.noSupport("virDomainSetUserPassword");
    }

    /** virDomainAuthorizedSSHKeysGet: the lines of a guest account's ~/.ssh/authorized_keys, through the agent. */
    default List<String> authorizedSshKeys(DomainRef domain, String user, int flags) {
        throw VirtErrors.noSupport("virDomainAuthorizedSSHKeysGet");
    }

    /**
     * virDomainAuthorizedSSHKeysSet: replaces a guest account's authorized keys with {@code keys}, adds them
     * (VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND 1) or removes them (VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE 2).
     */
    default void setAuthorizedSshKeys(DomainRef domain, String user, List<String> keys, int flags) {
        throw VirtErrors.noSupport("virDomainAuthorizedSSHKeysSet");
    }

    /**
     * virDomainOpenGraphicsFD: a socket connected to the guest's graphics device {@code index} as a client
     * (VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH 1: without its authentication), as a raw descriptor the caller owns.
     */
    default int openGraphicsFd(DomainRef domain, int index, int flags) {
        throw VirtErrors.noSupport("virDomainOpenGraphicsFD");
    }

    /** virDomainQemuAgentCommand: a raw guest agent command and its raw JSON answer. */
    default String agentCommand(DomainRef domain, String command, int timeoutSeconds, int flags) {
        throw VirtErrors.noSupport("virDomainQemuAgentCommand");
    }

    /** virDomainFSInfo: a mount point, its device name, file system type and the disks (target names) below. */
    record FsInfo(String mountpoint, String name, String fstype, List<String> devAliases) {
    }

    /** virDomainGetPerfEvents: each perf event libvirt knows and whether the domain has it enabled. */
    default List<TypedParameter> perfEvents(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetPerfEvents");
    }

    /** virDomainGetMemoryParameters: hard_limit, soft_limit and swap_hard_limit in KiB. */
    default List<TypedParameter> memoryParameters(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetMemoryParameters");
    }

    /** virDomainSetMemoryParameters. */
    default void setMemoryParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetMemoryParameters");
    }

    /** virDomainGetSchedulerType's nparams (the type is "posix"). */
    default int schedulerParameterCount(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetSchedulerType");
    }

    /** virDomainGetSchedulerParametersFlags: cpu_shares and the periods and quotas, in libvirt's order. */
    default List<TypedParameter> schedulerParameters(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetSchedulerParameters");
    }

    /** virDomainSetSchedulerParametersFlags. */
    default void setSchedulerParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetSchedulerParameters");
    }

    /**
     * virDomainGetCPUStats: for {@code startCpu} -1 one list (cpu_time, user_time, system_time), else one list per
     * host CPU from {@code startCpu}, at most {@code ncpus} and no further than the host's last CPU.
     */
    default List<List<TypedParameter>> cpuStats(DomainRef domain, int startCpu, int ncpus, int flags) {
        throw VirtErrors.noSupport("virDomainGetCPUStats");
    }

    /** virDomainGetBlkioParameters: weight, then device_weight and the device throttles as "path,value,..." strings. */
    default List<TypedParameter> blkioParameters(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetBlkioParameters");
    }

    /** virDomainSetBlkioParameters. */
    default void setBlkioParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetBlkioParameters");
    }

    /** virDomainGetNumaParameters: numa_mode and numa_nodeset of the domain's memory. */
    default List<TypedParameter> numaParameters(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetNumaParameters");
    }

    /** virDomainGetIOThreadInfo: each IOThread id with the host CPUs it may use. */
    default List<java.util.Map.Entry<Integer, java.util.BitSet>> iothreadInfo(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetIOThreadInfo");
    }

    /** virDomainGetInterfaceParameters: the bandwidth limits of an interface (target device or MAC). */
    default List<TypedParameter> interfaceParameters(DomainRef domain, String device, int flags) {
        throw VirtErrors.noSupport("virDomainGetInterfaceParameters");
    }

    /** virDomainAddIOThread: a new IOThread {@code id} in the running guest and/or its persistent definition. */
    default void addIothread(DomainRef domain, int id, int flags) {
        throw VirtErrors.noSupport("virDomainAddIOThread");
    }

    /** virDomainDelIOThread: removes IOThread {@code id} that no disk uses. */
    default void delIothread(DomainRef domain, int id, int flags) {
        throw VirtErrors.noSupport("virDomainDelIOThread");
    }

    /** virDomainPinIOThread: the host CPUs IOThread {@code id} may run on. */
    default void pinIothread(DomainRef domain, int id, java.util.BitSet cpus, int flags) {
        throw VirtErrors.noSupport("virDomainPinIOThread");
    }

    /** virDomainSetIOThreadParams: poll_max_ns, poll_grow, poll_shrink (live), thread_pool_min/max. */
    default void setIothreadParams(DomainRef domain, int id, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetIOThreadParams");
    }

    /** virDomainGetBlockIoTune: a disk's throttle (total_bytes_sec ... group_name ... *_max_length). */
    default List<TypedParameter> blockIoTune(DomainRef domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainGetBlockIoTune");
    }

    /** virDomainSetBlockIoTune: changes the throttle parameters given, keeping the others. */
    default void setBlockIoTune(DomainRef domain, String disk, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetBlockIoTune");
    }

    /** virDomainSetNumaParameters: numa_mode and/or numa_nodeset of the domain's memory. */
    default void setNumaParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetNumaParameters");
    }

    /** virDomainSetInterfaceParameters: an interface's {@code <bandwidth>} (inbound./outbound. average...). */
    default void setInterfaceParameters(DomainRef domain, String device, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetInterfaceParameters");
    }

    /** virDomainSetVcpu: enables (state 1) or disables (0) the vCPUs of a cpumap string ("1,3-4"). */
    default void setVcpu(DomainRef domain, String cpumap, int state, int flags) {
        throw VirtErrors.noSupport("virDomainSetVcpu");
    }

    /** virDomainSetPerfEvents: enables or disables perf events by name. */
    default void setPerfEvents(DomainRef domain, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainSetPerfEvents");
    }

    /** virDomainRename: gives a shut-off persistent domain a new name; returns the renamed domain. */
    default DomainRef rename(DomainRef domain, String newName, int flags) {
        throw VirtErrors.noSupport("virDomainRename");
    }

    /**
     * virDomainSetLifecycleAction: {@code type} 0 poweroff, 1 reboot, 2 crash; {@code action} a
     * virDomainLifecycleAction (0 destroy, 1 restart, 2 rename-restart, 3 preserve, 4 coredump-destroy,
     * 5 coredump-restart).
     */
    default void setLifecycleAction(DomainRef domain, int type, int action, int flags) {
        throw VirtErrors.noSupport("virDomainSetLifecycleAction");
    }

    /** virDomainPMSuspendForDuration: the guest suspends itself (0 mem, 1 disk, 2 hybrid) through its agent. */
    default void pmSuspend(DomainRef domain, int target, long durationSeconds, int flags) {
        throw VirtErrors.noSupport("virDomainPMSuspendForDuration");
    }

    /** virDomainPMWakeup: wakes a guest suspended to memory. */
    default void pmWakeup(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainPMWakeup");
    }

    /** virDomainSendProcessSignal: a signal to a process in the guest (containers only in libvirt). */
    default void sendProcessSignal(DomainRef domain, long pid, int signum, int flags) {
        throw VirtErrors.noSupport("virDomainSendProcessSignal");
    }

    /** virDomainGetDiskErrors: each disk (target) with a virDomainDiskErrorCode other than none (1 unspec, 2 nospace). */
    default java.util.Map<String, Integer> diskErrors(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetDiskErrors");
    }

    /** virDomainGetSecurityLabelList: the label of each security driver of a running domain (none when shut off). */
    default List<SecurityLabel> securityLabels(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetSecurityLabelList");
    }

    /** virDomainGetControlInfo: state, details and milliseconds in that state of the hypervisor's control. */
    default long[] controlInfo(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetControlInfo");
    }

    /** virDomainIsUpdated. */
    default boolean isUpdated(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainIsUpdated");
    }

    /**
     * virDomainCoreDumpWithFormat: the guest's memory into {@code file} (flags VIR_DUMP_CRASH 1, LIVE 2,
     * BYPASS_CACHE 4, RESET 8, MEMORY_ONLY 16; format a virDomainCoreDumpFormat).
     */
    default void coreDump(DomainRef domain, String file, int format, int flags) {
        throw VirtErrors.noSupport("virDomainCoreDumpWithFormat");
    }

    /** virDomainManagedSaveGetXMLDesc: the definition inside the domain's managed save image. */
    default String managedSaveXml(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainManagedSaveGetXMLDesc");
    }

    /** virDomainManagedSaveDefineXML: replaces it (and with SAVE_RUNNING/SAVE_PAUSED, the state to resume in). */
    default void managedSaveDefine(DomainRef domain, String xml, int flags) {
        throw VirtErrors.noSupport("virDomainManagedSaveDefineXML");
    }

    /** virDomainSaveImageGetXMLDesc: the definition inside a save image file. */
    default String saveImageXml(String file, int flags) {
        throw VirtErrors.noSupport("virDomainSaveImageGetXMLDesc");
    }

    /** virDomainSaveImageDefineXML: replaces the definition inside a save image file. */
    default void saveImageDefine(String file, String xml, int flags) {
        throw VirtErrors.noSupport("virDomainSaveImageDefineXML");
    }

    /** virDomainGetMaxMemory: the domain's maximum memory in KiB. */
    default long maxMemory(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetMaxMemory");
    }

    /**
     * virDomainSendKey: presses the keys (codes of {@code codeset}, a virKeycodeSet number) together for
     * {@code holdtimeMs} milliseconds (0 the hypervisor's default).
     */
    default void sendKey(DomainRef domain, int codeset, int holdtimeMs, int[] keycodes, int flags) {
        throw VirtErrors.noSupport("virDomainSendKey");
    }

    /** virDomainInjectNMI: a non-maskable interrupt into the running guest. */
    default void injectNmi(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainInjectNMI");
    }

    /** virDomainReset: resets the running guest at once, as the reset button does. */
    default void reset(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainReset");
    }

    /** virConnectGetCPUModelNames: the CPU models libvirt knows for an architecture (none: any is accepted). */
    default List<String> cpuModelNames(String arch, int flags) {
        throw VirtErrors.noSupport("virConnectGetCPUModelNames");
    }

    /** virConnectGetSysinfo: the host's SMBIOS facts as a {@code <sysinfo>} document. */
    default String sysinfo(int flags) {
        throw VirtErrors.noSupport("virConnectGetSysinfo");
    }

    /** virDomainSetMemoryFlags: sets the memory in KiB (live, config, maximum). */
    default void setMemory(DomainRef domain, long memoryKiB, int flags) {
        throw VirtErrors.noSupport("virDomainSetMemoryFlags");
    }

    /** virDomainGetMessages: the domain's taint and deprecation messages. */
    default List<String> messages(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetMessages");
    }

    /**
     * Tells {@code listener} when this connection is closed from the driver side (a driver that goes
     * away), with libvirt's virConnectCloseReason (0 error, 1 eof, 2 keepalive, 3 client). A driver
     * that never closes connections on its own keeps the default, which never calls back.
     */
    default AutoCloseable onClose(IntConsumer listener) {
        return () -> { };
    }

    @Override
    void close();

    /**
     * virNodeGetCPUStats: the host's CPU times in nanoseconds ("kernel", "user", "idle", "iowait") of CPU
     * {@code cpu}, or of all CPUs for -1. With {@code nparams} 0 the caller asks how many there are: the
     * answer has that many parameters, unread (values 0).
     */
    default List<TypedParameter> nodeCpuStats(int cpu, int nparams, int flags) {
        throw VirtErrors.noSupport("virNodeGetCPUStats");
    }

    /**
     * virNodeGetMemoryStats: the host's memory in KiB ("total", "free", "buffers", "cached", those the source
     * has) of NUMA cell {@code cell}, or of the whole host for -1. With {@code nparams} 0 the answer has as
     * many parameters as a call may return, unread (values 0).
     */
    default List<TypedParameter> nodeMemoryStats(int cell, int nparams, int flags) {
        throw VirtErrors.noSupport("virNodeGetMemoryStats");
    }

    /** virNodeGetFreeMemory: free memory in bytes over all NUMA cells. */
    default long nodeFreeMemory() {
        throw VirtErrors.noSupport("virNodeGetFreeMemory");
    }

    /** virNodeGetCellsFreeMemory: free bytes of each NUMA cell from {@code startCell}, at most {@code maxCells}. */
    default List<Long> nodeCellsFreeMemory(int startCell, int maxCells) {
        throw VirtErrors.noSupport("virNodeGetCellsFreeMemory");
    }

    /** virNodeGetCPUMap: how many CPUs the host has and which are online. */
    default CpuMap nodeCpuMap(int flags) {
        throw VirtErrors.noSupport("virNodeGetCPUMap");
    }

    /**
     * virNodeGetFreePages: free pages of each size (KiB) in each cell from {@code startCell}, at most
     * {@code cellCount} cells, cell by cell.
     */
    default List<Long> nodeFreePages(List<Integer> pageSizesKiB, int startCell, int cellCount, int flags) {
        throw VirtErrors.noSupport("virNodeGetFreePages");
    }

    /**
     * virNodeGetMemoryParameters: the kernel's same-page merging (KSM) settings and counters, the first
     * {@code nparams} of them; with {@code nparams} 0 all of them, unread (values 0).
     */
    default List<TypedParameter> nodeMemoryParameters(int nparams, int flags) {
        throw VirtErrors.noSupport("virNodeGetMemoryParameters");
    }

    /** virDomainBlockPeek: {@code size} bytes of a raw disk (named by target or source path) from {@code offset}. */
    default byte[] blockPeek(DomainRef domain, String disk, long offset, int size, int flags) {
        throw VirtErrors.noSupport("virDomainBlockPeek");
    }

    /** virDomainMemoryPeek with VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL. */
    default byte[] memoryPeek(DomainRef domain, long offset, int size, int flags) {
        throw VirtErrors.noSupport("virDomainMemoryPeek");
    }

    /** virDomainStartDirtyRateCalc: a calculation over {@code seconds} that domstats --dirtyrate reads. */
    default void startDirtyRateCalc(DomainRef domain, int seconds, int flags) {
        throw VirtErrors.noSupport("virDomainStartDirtyRateCalc");
    }

    /** virDomainAgentSetResponseTimeout: seconds, or -1 (default), -2 (block), 0 (no wait). */
    default void setAgentResponseTimeout(DomainRef domain, int seconds, int flags) {
        throw VirtErrors.noSupport("virDomainAgentSetResponseTimeout");
    }

    /** virNodeSetMemoryParameters: the KSM tunables (shm_pages_to_scan, shm_sleep_millisecs, shm_merge_across_nodes). */
    default void setNodeMemoryParameters(List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virNodeSetMemoryParameters");
    }

    /**
     * virNodeAllocPages: sets (VIR_NODE_ALLOC_PAGES_SET) or grows each huge page pool of the cells from
     * {@code startCell} (-1: the host's); answers how many pools it went through.
     */
    default int nodeAllocPages(List<Integer> pageSizesKiB, List<Long> counts, int startCell, int cellCount,
                               int flags) {
        throw VirtErrors.noSupport("virNodeAllocPages");
    }

    /** virNodeSuspendForDuration: VIR_NODE_SUSPEND_TARGET_* for {@code seconds}. */
    default void nodeSuspend(int target, long seconds, int flags) {
        throw VirtErrors.noSupport("virNodeSuspendForDuration");
    }

    /** virDomainBlockStatsFlags: a disk's counters (see HypervisorDriver#blockStats); "" sums all disks. */
    default List<TypedParameter> blockStats(DomainRef domain, String disk) {
        throw VirtErrors.noSupport("virDomainBlockStats");
    }

    /** virDomainInterfaceStats: an interface's counters as the guest sees them. */
    default InterfaceStats interfaceStats(DomainRef domain, String device) {
        throw VirtErrors.noSupport("virDomainInterfaceStats");
    }

    /** virDomainMemoryStats: at most {@code max} statistics of the balloon, the guest and the process. */
    default List<MemoryStat> memoryStats(DomainRef domain, int max, int flags) {
        throw VirtErrors.noSupport("virDomainMemoryStats");
    }

    /**
     * virConnectGetAllDomainStats / virDomainListGetStats: the statistics groups {@code stats} (0 for all the
     * driver has) of {@code domains}, or of every domain the list flags in {@code flags} select when it is
     * empty.
     */
    default List<DomainStats> allDomainStats(List<DomainRef> domains, int stats, int flags) {
        throw VirtErrors.noSupport("virConnectGetAllDomainStats");
    }

    /**
     * virDomainLxcOpenNamespace: the namespace files of a running container's init ({@code /proc/PID/ns/...}
     * in libvirt's order: user, ipc, uts, net, pid, mnt), which the caller opens and passes to the client.
     */
    default java.util.List<java.nio.file.Path> lxcOpenNamespace(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainLxcOpenNamespace");
    }

    /**
     * virDomainOpenChannel: a running domain's channel named by alias or virtio target name (the first for
     * null), one client at a time unless VIR_DOMAIN_CHANNEL_FORCE (1) ends the first.
     */
    default ConsoleStream openChannel(DomainRef domain, String name, int flags) {
        throw VirtErrors.noSupport("virDomainOpenChannel");
    }

    /**
     * virDomainOpenConsole: the console or serial device {@code devName} (its alias, or null for the first
     * console) of a running domain. One client at a time: a second open fails unless {@code flags} has
     * VIR_DOMAIN_CONSOLE_FORCE (1), which ends the first.
     */
    default ConsoleStream openConsole(DomainRef domain, String devName, int flags) {
        throw VirtErrors.noSupport("virDomainOpenConsole");
    }

    /**
     * virDomainInterfaceAddresses: the guest's interfaces with the addresses a source knows of them
     * (DomainInterface.SOURCE_LEASE: its networks' DHCP leases, SOURCE_ARP: the host's ARP table,
     * SOURCE_AGENT: the guest agent).
     */
    default List<DomainInterface> interfaceAddresses(DomainRef domain, int source, int flags) {
        throw VirtErrors.noSupport("virDomainInterfaceAddresses");
    }

    /** virDomainGetBlockInfo: a disk's sizes, by target or source path, for a running or an inactive domain. */
    default BlockInfo blockInfo(DomainRef domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainGetBlockInfo");
    }

    /** virDomainSetMemoryStatsPeriod: how often (seconds, 0 never) the balloon collects the guest's figures. */
    default void setMemoryStatsPeriod(DomainRef domain, int period, int flags) {
        throw VirtErrors.noSupport("virDomainSetMemoryStatsPeriod");
    }

    /** virDomainScreenshot: the image of a running domain's screen {@code screen} (0 is the first head). */
    default Screenshot screenshot(DomainRef domain, int screen, int flags) {
        throw VirtErrors.noSupport("virDomainScreenshot");
    }

    /** virDomainGetVcpus: each vCPU of a running domain, its state, time, host CPU and affinity. */
    default java.util.List<VcpuInfo> vcpuInfo(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetVcpus");
    }

    /**
     * virDomainGetVcpuPinInfo: the host CPUs each vCPU may run on, for the live or the persistent definition
     * (VIR_DOMAIN_AFFECT_LIVE 1, VIR_DOMAIN_AFFECT_CONFIG 2, or 0 for the current one).
     */
    default java.util.List<java.util.BitSet> vcpuPinInfo(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetVcpuPinInfo");
    }

    /** virNodeGetCPUMap's answer: CPUs the host has (highest number + 1) and the online ones. */
    record CpuMap(int cpus, java.util.BitSet online) {
    }

    /** virNodeInfo: CPU model, memory in KiB, CPUs, MHz, NUMA nodes, sockets per node, cores, threads. */
    record NodeInfo(String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores,
                    int threads) {
    }

    /** virSecurityModel: model and DOI, empty strings when there is no security driver. */
    record SecurityModel(String model, String doi) {
    }

    /** virSecurityLabel: the label (empty when the driver labels nothing) and whether it is enforced. */
    record SecurityLabel(String label, boolean enforcing) {
    }

    /** Block resize, write threshold and block jobs of this connection's domains. */
    default DomainBlockOperations blockOperations() {
        return new DomainBlockOperations() {
        };
    }

    /** Checkpoints, backups and the domain job of this connection's domains. */
    default DomainBackups backups() {
        return new DomainBackups() {
        };
    }
}
