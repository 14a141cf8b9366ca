package org.jvirtd.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.api.event.DomainEventListener;
import org.jvirtd.model.domain.DomainMetadata;
import org.jvirtd.model.domain.DomainXml;

/**
 * One client's connection to one driver: checks read-only access, then hands the call to the
 * driver's domain list.
 */
final class CoreConnection implements Connection {
    private final URI uri;
    private final boolean readOnly;
    private final DriverRegistry registry;
    private final DriverDomains domains;
    private final DomainTuning tuning;
    private final GuestAgentCalls agent;
    private final DomainPeeks peeks;
    private final DomainParameters parameters;
    private final DomainResourceTuning resources;
    private final IothreadTuning iothreads;
    private final BlockIoTune blockIoTune;
    private final DefinitionTuning definitionTuning;
    /** VIR_TYPED_PARAM_STRING_OKAY, which the client library adds to typed-parameter queries. */
    static final int TYPED_PARAM_STRING_OKAY = 1 << 2;
    private final SaveImages saveImages;
    private final CoreDumps dumps;
    private final EventHub events;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    CoreConnection(URI uri, boolean readOnly, DriverRegistry registry, DriverDomains domains, EventHub events,
                   Runnable onClose) {
        this.uri = uri;
        this.readOnly = readOnly;
        this.registry = registry;
        this.domains = domains;
        this.tuning = new DomainTuning(domains);
        this.agent = new GuestAgentCalls(domains);
        this.peeks = new DomainPeeks(domains);
        this.parameters = new DomainParameters(domains);
        this.resources = new DomainResourceTuning(domains);
        this.iothreads = new IothreadTuning(domains);
        this.blockIoTune = new BlockIoTune(domains);
        this.definitionTuning = new DefinitionTuning(domains);
        this.saveImages = new SaveImages(domains);
        this.dumps = new CoreDumps(domains);
        this.events = events;
        this.onClose = onClose;
    }

    private HypervisorDriver driver() {
        return registry.require(domains.driverName());
    }

    private void writable(String api) {
        if (readOnly) {
            throw VirtErrors.readOnly(api);
        }
    }

    @Override
    public org.jvirtd.api.connect.DomainSnapshots snapshots() {
        return new CoreDomainSnapshots(domains.snapshots(), readOnly);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String type() {
        return driver().type();
    }

    @Override
    public long hypervisorVersion() {
        return driver().hypervisorVersion();
    }

    @Override
    public String hostname() {
        return HostIdentity.hostname();
    }

    @Override
    public String capabilities() {
        return driver().capabilities();
    }

    @Override
    public String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        return driver().domainCapabilities(emulator, arch, machine, virtType, flags);
    }

    @Override
    public int maxVcpus(String type) {
        return driver().maxVcpus(type);
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        return domains.list(flags);
    }

    @Override
    public DomainRef lookupByName(String name) {
        return domains.lookupByName(name);
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return domains.lookupByUuid(uuid);
    }

    @Override
    public DomainRef lookupById(int id) {
        return domains.lookupById(id);
    }

    @Override
    public DomainRef define(String xml, int flags) {
        writable("virDomainDefineXMLFlags");
        return domains.define(xml);
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        writable("virDomainUndefineFlags");
        domains.undefine(domain, flags);
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        writable("virDomainCreateXML");
        return domains.createTransient(xml, flags);
    }

    @Override
    public DomainRef create(DomainRef domain, int flags) {
        writable("virDomainCreateWithFlags");
        return domains.create(domain, flags);
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        writable("virDomainShutdownFlags");
        if (!agent.powerdown(domain, flags, false)) {
            domains.shutdown(domain);
        }
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        writable("virDomainReboot");
        if (!agent.powerdown(domain, flags, true)) {
            domains.reboot(domain);
        }
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        writable("virDomainDestroyFlags");
        domains.destroy(domain);
    }

    @Override
    public void suspend(DomainRef domain) {
        writable("virDomainSuspend");
        domains.suspend(domain);
    }

    @Override
    public void resume(DomainRef domain) {
        writable("virDomainResume");
        domains.resume(domain);
    }

    @Override
    public void save(DomainRef domain, String file, String xml, int flags) {
        writable("virDomainSaveFlags");
        domains.save(domain, Path.of(file));
    }

    @Override
    public void restore(String file, String xml, int flags) {
        writable("virDomainRestoreFlags");
        domains.restore(Path.of(file), flags);
    }

    /** VIR_DOMAIN_SAVE_PARAM_FILE and _DXML, the only parameters the save and restore calls take. */
    private static final java.util.Set<String> SAVE_PARAMS = java.util.Set.of("file", "dxml");

    @Override
    public void saveParams(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSaveParams");
        Map<String, String> values = saveParams(params);
        if (values.get("file") == null) {
            managedSave(domain, flags);
        } else {
            save(domain, values.get("file"), values.get("dxml"), flags);
        }
    }

    @Override
    public void restoreParams(List<TypedParameter> params, int flags) {
        writable("virDomainRestoreParams");
        Map<String, String> values = saveParams(params);
        if (values.get("file") == null) {
            throw VirtErrors.invalidArg(driver().errorDomain(), "missing path to restore from");
        }
        restore(values.get("file"), values.get("dxml"), flags);
    }

    /** virTypedParamsValidate for the save parameters: known names, strings only. */
    private static Map<String, String> saveParams(List<TypedParameter> params) {
        Map<String, String> values = new java.util.HashMap<>();
        for (TypedParameter param : params) {
            if (!SAVE_PARAMS.contains(param.field())) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE,
                    "parameter '" + param.field() + "' not supported");
            }
            if (param.type() != TypedParameter.Type.STRING) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "invalid type '" + param.type().label()
                    + "' for parameter '" + param.field() + "', expected 'string'");
            }
            values.put(param.field(), (String) param.value());
        }
        return values;
    }

    @Override
    public void managedSave(DomainRef domain, int flags) {
        writable("virDomainManagedSave");
        domains.managedSave(domain);
    }

    @Override
    public boolean hasManagedSave(DomainRef domain) {
        return domains.hasManagedSave(domain);
    }

    @Override
    public void managedSaveRemove(DomainRef domain) {
        writable("virDomainManagedSaveRemove");
        domains.managedSaveRemove(domain);
    }

    @Override
    public String xml(DomainRef domain, int flags) {
        if ((flags & org.jvirtd.api.domain.DomainFlags.XML_SECURE) != 0) {
            writable("virDomainGetXMLDesc with secure flag");
        }
        return domains.xml(domain, flags);
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        return domains.info(domain);
    }

    @Override
    public DomainStatus status(DomainRef domain) {
        return domains.status(domain);
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return domains.isActive(domain);
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return domains.isPersistent(domain);
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return domains.autostart(domain);
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        writable("virDomainSetAutostart");
        domains.setAutostart(domain, autostart);
    }

    @Override
    public void attachDevice(DomainRef domain, String xml, int flags) {
        writable("virDomainAttachDeviceFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainAttachDeviceFlags");
        domains.attachDevice(domain, xml, flags);
    }

    @Override
    public void detachDevice(DomainRef domain, String xml, int flags) {
        writable("virDomainDetachDeviceFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainDetachDeviceFlags");
        domains.detachDevice(domain, xml, flags);
    }

    @Override
    public void detachDeviceAlias(DomainRef domain, String alias, int flags) {
        writable("virDomainDetachDeviceAlias");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainDetachDeviceAlias");
        domains.detachDeviceAlias(domain, alias, flags);
    }

    @Override
    public void updateDevice(DomainRef domain, String xml, int flags) {
        writable("virDomainUpdateDeviceFlags");
        // VIR_DOMAIN_DEVICE_MODIFY_FORCE (4): eject a locked tray
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | 4, "DomainUpdateDeviceFlags");
        domains.updateDevice(domain, xml, flags);
    }

    @Override
    public String metadata(DomainRef domain, int type, String uri, int flags) {
        checkMetadataUri(type, uri, "virDomainGetMetadata");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainGetMetadata");
        return domains.metadata(domain, type, uri, flags);
    }

    @Override
    public void setMetadata(DomainRef domain, int type, String metadata, String key, String uri, int flags) {
        writable("virDomainSetMetadata");
        if (type == DomainMetadata.TITLE && metadata != null && metadata.indexOf('\n') >= 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "metadata title can't contain newlines");
        }
        checkMetadataUri(type, uri, "virDomainSetMetadata");
        if (type != DomainMetadata.ELEMENT && key != null) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "key in virDomainSetMetadata must be NULL");
        }
        if (type == DomainMetadata.ELEMENT && metadata != null && key == null) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "key in virDomainSetMetadata must not be NULL");
        }
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetMetadata");
        domains.setMetadata(domain, type, metadata, key, uri, flags);
    }

    /** libvirt's public API checks: a title or description takes no uri, an element needs one. */
    private static void checkMetadataUri(int type, String uri, String api) {
        if ((type == DomainMetadata.TITLE || type == DomainMetadata.DESCRIPTION) && uri != null) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "uri in " + api + " must be NULL");
        }
        if (type == DomainMetadata.ELEMENT && uri == null) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "uri in " + api + " must not be NULL");
        }
    }

    @Override
    public String domainXmlFromNative(String format, String config, int flags) {
        writable("virConnectDomainXMLFromNative");
        HypervisorDriver driver = driver();
        checkDriverFlags(flags, 0, "ConnectDomainXMLFromNative");
        return driver.domainXmlFromNative(format, config);
    }

    @Override
    public String domainXmlToNative(String format, String xml, int flags) {
        writable("virConnectDomainXMLToNative");
        HypervisorDriver driver = driver();
        checkDriverFlags(flags, 0, "ConnectDomainXMLToNative");
        return driver.domainXmlToNative(format, xml);
    }

    @Override
    public String osType(DomainRef domain) {
        return domains.osType(domain);
    }

    @Override
    public NodeInfo nodeInfo() {
        NodeInfo hypervisor = driver().nodeInfo();
        return hypervisor != null ? hypervisor : HostInfo.read();
    }

    @Override
    public SecurityModel securityModel() {
        return driver().securityModel();
    }

    @Override
    public SecurityLabel securityLabel(DomainRef domain) {
        return domains.securityLabel(domain);
    }

    @Override
    public int vcpus(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM
            | DomainFlags.VCPU_GUEST, "DomainGetVcpusFlags");
        if ((flags & DomainFlags.VCPU_GUEST) != 0 && (flags & DomainFlags.AFFECT_CONFIG) == 0) {
            writable("virDomainGetVcpusFlags");
            return agent.onlineGuestVcpus(domain);
        }
        return tuning.vcpuCount(domain, flags);
    }

    @Override
    public void setVcpus(DomainRef domain, int count, int flags) {
        writable("virDomainSetVcpusFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM
            | DomainFlags.VCPU_GUEST | DomainFlags.VCPU_HOTPLUGGABLE, "DomainSetVcpusFlags");
        if ((flags & DomainFlags.VCPU_GUEST) != 0) {
            // libvirt hands VCPU_GUEST to the agent whatever else the flags say
            agent.setOnlineGuestVcpus(domain, count);
            return;
        }
        tuning.setVcpus(domain, count, flags);
    }

    @Override
    public void pinVcpu(DomainRef domain, int vcpu, BitSet cpus, int flags) {
        writable("virDomainPinVcpuFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainPinVcpuFlags");
        tuning.pin(domain, vcpu, cpus, flags);
    }

    @Override
    public void pinEmulator(DomainRef domain, BitSet cpus, int flags) {
        writable("virDomainPinEmulator");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainPinEmulator");
        tuning.pin(domain, -1, cpus, flags);
    }

    @Override
    public BitSet emulatorPinInfo(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainGetEmulatorPinInfo");
        boolean config = (flags & DomainFlags.AFFECT_CONFIG) != 0 || (flags & DomainFlags.AFFECT_LIVE) == 0
            && !isActive(domain);
        return tuning.emulatorPinInfo(domain, config);
    }

    /** virDomainGetHostnameFlags: VIR_DOMAIN_GET_HOSTNAME_LEASE 1, VIR_DOMAIN_GET_HOSTNAME_AGENT 2. */
    @Override
    public String hostname(DomainRef domain, int flags) {
        writable("virDomainGetHostname");
        checkDriverFlags(flags, 1 | 2, "DomainGetHostname");
        if ((flags & (1 | 2)) == (1 | 2)) {
            throw VirtErrors.invalidArg(driver().errorDomain(), "Flags 'VIR_DOMAIN_GET_HOSTNAME_LEASE' and "
                + "'VIR_DOMAIN_GET_HOSTNAME_AGENT' are mutually exclusive");
        }
        return (flags & 1) != 0 ? agent.leaseHostname(domain) : agent.hostname(domain);
    }

    @Override
    public long[] guestTime(DomainRef domain, int flags) {
        writable("virDomainGetTime");
        checkDriverFlags(flags, 0, "DomainGetTime");
        return agent.time(domain);
    }

    @Override
    public void setGuestTime(DomainRef domain, long seconds, int nseconds, int flags) {
        writable("virDomainSetTime");
        checkDriverFlags(flags, 1, "DomainSetTime");
        agent.setTime(domain, seconds, nseconds, (flags & 1) != 0);
    }

    @Override
    public int fsFreeze(DomainRef domain, List<String> mountpoints, int flags) {
        writable("virDomainFSFreeze");
        checkDriverFlags(flags, 0, "DomainFSFreeze");
        return agent.fsFreeze(domain, mountpoints);
    }

    @Override
    public int fsThaw(DomainRef domain, List<String> mountpoints, int flags) {
        writable("virDomainFSThaw");
        checkDriverFlags(flags, 0, "DomainFSThaw");
        return agent.fsThaw(domain, mountpoints);
    }

    @Override
    public void fsTrim(DomainRef domain, String mountPoint, long minimum, int flags) {
        writable("virDomainFSTrim");
        checkDriverFlags(flags, 0, "DomainFSTrim");
        agent.fsTrim(domain, mountPoint, minimum);
    }

    @Override
    public List<FsInfo> fsInfo(DomainRef domain, int flags) {
        writable("virDomainGetFSInfo");
        checkDriverFlags(flags, 0, "DomainGetFSInfo");
        return agent.fsInfo(domain);
    }

    @Override
    public List<TypedParameter> guestInfo(DomainRef domain, int types, int flags) {
        writable("virDomainGetGuestInfo");
        checkDriverFlags(flags, 0, "DomainGetGuestInfo");
        return agent.guestInfo(domain, types);
    }

    @Override
    public List<TypedParameter> guestVcpus(DomainRef domain, int flags) {
        writable("virDomainGetGuestVcpus");
        checkDriverFlags(flags, 0, "DomainGetGuestVcpus");
        return agent.guestVcpus(domain);
    }

    @Override
    public void setGuestVcpus(DomainRef domain, String cpumap, int state, int flags) {
        writable("virDomainSetGuestVcpus");
        checkDriverFlags(flags, 0, "DomainSetGuestVcpus");
        java.util.BitSet cpus;
        try {
            cpus = org.jvirtd.model.domain.CpuSets.parse(cpumap);
        } catch (NumberFormatException e) {
            throw VirtErrors.invalidArg(driver().errorDomain(), "Failed to parse bitmap '" + cpumap + "'");
        }
        agent.setGuestVcpus(domain, cpus, state != 0);
    }

    @Override
    public void setUserPassword(DomainRef domain, String user, String password, int flags) {
        writable("virDomainSetUserPassword");
        checkDriverFlags(flags, 1, "DomainSetUserPassword");
        agent.setUserPassword(domain, user, password, (flags & 1) != 0);
    }

    @Override
    public List<String> authorizedSshKeys(DomainRef domain, String user, int flags) {
        writable("virDomainAuthorizedSSHKeysGet");
        checkDriverFlags(flags, 0, "DomainAuthorizedSSHKeysGet");
        return agent.authorizedSshKeys(domain, user);
    }

    @Override
    public void setAuthorizedSshKeys(DomainRef domain, String user, List<String> keys, int flags) {
        writable("virDomainAuthorizedSSHKeysSet");
        checkDriverFlags(flags, 3, "DomainAuthorizedSSHKeysSet");
        if ((flags & 3) == 3) {
            throw VirtErrors.invalidArg(driver().errorDomain(), "Flags 'VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND' "
                + "and 'VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE' are mutually exclusive");
        }
        agent.setAuthorizedSshKeys(domain, user, keys, (flags & 1) != 0, (flags & 2) != 0);
    }

    @Override
    public String agentCommand(DomainRef domain, String command, int timeoutSeconds, int flags) {
        writable("virDomainQemuAgentCommand");
        checkDriverFlags(flags, 0, "DomainQemuAgentCommand");
        return domains.locked(domain, (d, hv) -> {
            domains.requireActive(d);
            return hv.agentRaw(domains.handle(d), command, timeoutSeconds);
        });
    }

    @Override
    public List<TypedParameter> perfEvents(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainGetPerfEvents");
        return parameters.perfEvents(domain, flags);
    }

    @Override
    public List<TypedParameter> memoryParameters(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
            "DomainGetMemoryParameters");
        return resources.memoryParameters(domain, flags);
    }

    @Override
    public void setMemoryParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSetMemoryParameters");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetMemoryParameters");
        resources.setMemoryParameters(domain, params, flags);
    }

    @Override
    public List<List<TypedParameter>> cpuStats(DomainRef domain, int startCpu, int ncpus, int flags) {
        checkDriverFlags(flags, TYPED_PARAM_STRING_OKAY, "DomainGetCPUStats");
        return resources.cpuStats(domain, startCpu, ncpus);
    }

    @Override
    public List<TypedParameter> blkioParameters(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
            "DomainGetBlkioParameters");
        return resources.blkioParameters(domain, flags);
    }

    @Override
    public void setBlkioParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSetBlkioParameters");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetBlkioParameters");
        resources.setBlkioParameters(domain, params, flags);
    }

    @Override
    public int schedulerParameterCount(DomainRef domain) {
        return resources.schedulerParameterCount(domain);
    }

    @Override
    public List<TypedParameter> schedulerParameters(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
            "DomainGetSchedulerParametersFlags");
        return resources.schedulerParameters(domain, flags);
    }

    @Override
    public void setSchedulerParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSetSchedulerParametersFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG,
            "DomainSetSchedulerParametersFlags");
        resources.setSchedulerParameters(domain, params, flags);
    }

    @Override
    public List<TypedParameter> numaParameters(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | 4, "DomainGetNumaParameters");
        return parameters.numaParameters(domain, flags);
    }

    @Override
    public List<java.util.Map.Entry<Integer, BitSet>> iothreadInfo(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainGetIOThreadInfo");
        return parameters.iothreadInfo(domain, flags);
    }

    @Override
    public List<TypedParameter> interfaceParameters(DomainRef domain, String device, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | 4,
            "DomainGetInterfaceParameters");
        return parameters.interfaceParameters(domain, device, flags);
    }

    @Override
    public void addIothread(DomainRef domain, int id, int flags) {
        writable("virDomainAddIOThread");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainAddIOThread");
        iothreads.add(domain, id, flags);
    }

    @Override
    public void delIothread(DomainRef domain, int id, int flags) {
        writable("virDomainDelIOThread");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainDelIOThread");
        iothreads.delete(domain, id, flags);
    }

    @Override
    public void pinIothread(DomainRef domain, int id, BitSet cpus, int flags) {
        writable("virDomainPinIOThread");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainPinIOThread");
        iothreads.pin(domain, id, cpus, flags);
    }

    @Override
    public void setIothreadParams(DomainRef domain, int id, List<TypedParameter> params, int flags) {
        writable("virDomainSetIOThreadParams");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetIOThreadParams");
        iothreads.setParams(domain, id, params, flags);
    }

    @Override
    public List<TypedParameter> blockIoTune(DomainRef domain, String disk, int flags) {
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
            "DomainGetBlockIoTune");
        return blockIoTune.get(domain, disk, flags);
    }

    @Override
    public void setBlockIoTune(DomainRef domain, String disk, List<TypedParameter> params, int flags) {
        writable("virDomainSetBlockIoTune");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetBlockIoTune");
        blockIoTune.set(domain, disk, params, flags);
    }

    @Override
    public void setNumaParameters(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSetNumaParameters");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetNumaParameters");
        definitionTuning.setNuma(domain, params, flags);
    }

    @Override
    public void setInterfaceParameters(DomainRef domain, String device, List<TypedParameter> params, int flags) {
        writable("virDomainSetInterfaceParameters");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG,
            "DomainSetInterfaceParameters");
        definitionTuning.setBandwidth(domain, device, params, flags);
    }

    @Override
    public void setPerfEvents(DomainRef domain, List<TypedParameter> params, int flags) {
        writable("virDomainSetPerfEvents");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetPerfEvents");
        definitionTuning.setPerfEvents(domain, params, flags);
    }

    @Override
    public void setLifecycleAction(DomainRef domain, int type, int action, int flags) {
        writable("virDomainSetLifecycleAction");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetLifecycleAction");
        definitionTuning.setLifecycleAction(domain, type, action, flags);
    }

    @Override
    public DomainRef rename(DomainRef domain, String newName, int flags) {
        writable("virDomainRename");
        if (newName == null) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "new_name in virDomainRename must not be NULL");
        }
        if (newName.isEmpty()) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "string new_name in virDomainRename must not be empty");
        }
        checkDriverFlags(flags, 0, "DomainRename");
        return domains.rename(domain, newName);
    }

    @Override
    public void setVcpu(DomainRef domain, String cpumap, int state, int flags) {
        writable("virDomainSetVcpu");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG, "DomainSetVcpu");
        tuning.setVcpu(domain, cpumap, state != 0, flags);
    }

    @Override
    public void pmSuspend(DomainRef domain, int target, long durationSeconds, int flags) {
        writable("virDomainPMSuspendForDuration");
        checkDriverFlags(flags, 0, "DomainPMSuspendForDuration");
        tuning.pmSuspend(domain, target, durationSeconds);
    }

    @Override
    public void pmWakeup(DomainRef domain, int flags) {
        writable("virDomainPMWakeup");
        checkDriverFlags(flags, 0, "DomainPMWakeup");
        tuning.pmWakeup(domain);
    }

    @Override
    public java.util.Map<String, Integer> diskErrors(DomainRef domain, int flags) {
        checkDriverFlags(flags, 0, "DomainGetDiskErrors");
        return tuning.diskErrors(domain);
    }

    @Override
    public List<SecurityLabel> securityLabels(DomainRef domain) {
        return tuning.securityLabels(domain);
    }

    /** No call holds a domain's monitor for long here: while running its control state is OK. */
    @Override
    public long[] controlInfo(DomainRef domain, int flags) {
        checkDriverFlags(flags, 0, "DomainGetControlInfo");
        if (!isActive(domain)) {
            throw VirtErrors.notRunning(driver().errorDomain());
        }
        return new long[] {0, 0, 0};
    }

    /** libvirt's QEMU driver never marks a domain updated (the flag belongs to its Xen history): false. */
    @Override
    public boolean isUpdated(DomainRef domain) {
        domains.status(domain);
        return false;
    }

    @Override
    public void coreDump(DomainRef domain, String file, int format, int flags) {
        writable("virDomainCoreDumpWithFormat");
        checkDriverFlags(flags, CoreDumps.CRASH | CoreDumps.LIVE | CoreDumps.BYPASS_CACHE | CoreDumps.RESET
            | CoreDumps.MEMORY_ONLY, "DomainCoreDumpWithFormat");
        dumps.dump(domain, file, format, flags);
    }

    @Override
    public String managedSaveXml(DomainRef domain, int flags) {
        checkDriverFlags(flags, DomainXml.SECURE, "DomainManagedSaveGetXMLDesc");
        if ((flags & DomainXml.SECURE) != 0) {
            writable("virDomainManagedSaveGetXMLDesc");
        }
        return saveImages.managedSaveXml(domain, flags);
    }

    @Override
    public void managedSaveDefine(DomainRef domain, String xml, int flags) {
        writable("virDomainManagedSaveDefineXML");
        checkDriverFlags(flags, DomainFlags.SAVE_RUNNING | DomainFlags.SAVE_PAUSED, "DomainManagedSaveDefineXML");
        saveImages.managedSaveDefine(domain, xml, flags);
    }

    @Override
    public String saveImageXml(String file, int flags) {
        writable("virDomainSaveImageGetXMLDesc");
        checkDriverFlags(flags, DomainXml.SECURE, "DomainSaveImageGetXMLDesc");
        return saveImages.saveImageXml(file, flags);
    }

    @Override
    public void saveImageDefine(String file, String xml, int flags) {
        writable("virDomainSaveImageDefineXML");
        checkDriverFlags(flags, DomainFlags.SAVE_RUNNING | DomainFlags.SAVE_PAUSED, "DomainSaveImageDefineXML");
        saveImages.saveImageDefine(file, xml, flags);
    }

    @Override
    public long maxMemory(DomainRef domain) {
        return tuning.maxMemory(domain);
    }

    @Override
    public void sendKey(DomainRef domain, int codeset, int holdtimeMs, int[] keycodes, int flags) {
        writable("virDomainSendKey");
        checkDriverFlags(flags, 0, "DomainSendKey");
        tuning.sendKey(domain, codeset, holdtimeMs, keycodes);
    }

    @Override
    public void injectNmi(DomainRef domain, int flags) {
        writable("virDomainInjectNMI");
        checkDriverFlags(flags, 0, "DomainInjectNMI");
        tuning.injectNmi(domain);
    }

    @Override
    public void reset(DomainRef domain, int flags) {
        writable("virDomainReset");
        checkDriverFlags(flags, 0, "DomainReset");
        tuning.reset(domain);
    }

    @Override
    public String sysinfo(int flags) {
        checkDriverFlags(flags, 0, "ConnectGetSysinfo");
        return HostSysinfo.read();
    }

    @Override
    public List<String> cpuModelNames(String arch, int flags) {
        checkDriverFlags(flags, 0, "ConnectGetCPUModelNames");
        return CpuModels.names(arch);
    }

    @Override
    public List<String> messages(DomainRef domain, int flags) {
        domains.status(domain);
        return List.of();
    }

    @Override
    public AutoCloseable subscribe(DomainEventListener listener) {
        return events.subscribe(domains.driverName(), listener);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public List<TypedParameter> blockStats(DomainRef domain, String disk) {
        return domains.blockStats(domain, disk);
    }

    @Override
    public InterfaceStats interfaceStats(DomainRef domain, String device) {
        return domains.interfaceStats(domain, device);
    }

    @Override
    public List<MemoryStat> memoryStats(DomainRef domain, int max, int flags) {
        checkDriverFlags(flags, 0, "DomainMemoryStats");
        return domains.memoryStats(domain, max);
    }

    @Override
    public List<DomainStats> allDomainStats(List<DomainRef> wanted, int stats, int flags) {
        // the list filters select domains only when none are named (libvirt ignores them otherwise)
        int filters = flags & ~(DomainStats.ENFORCE_STATS | DomainStats.BACKING | DomainStats.NOWAIT);
        return domains.stats(wanted.isEmpty() ? domains.list(filters) : wanted, stats, flags);
    }

    @Override
    public void setMemory(DomainRef domain, long memoryKiB, int flags) {
        writable("virDomainSetMemoryFlags");
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG | DomainFlags.MEM_MAXIMUM,
            "DomainSetMemoryFlags");
        domains.setMemory(domain, memoryKiB, flags);
    }

    @Override
    public void setMemoryStatsPeriod(DomainRef domain, int period, int flags) {
        writable("virDomainSetMemoryStatsPeriod");
        HypervisorDriver driver = driver();
        checkDriverFlags(flags, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG,
            "DomainSetMemoryStatsPeriod");
        if (period < 0) {
            throw VirtErrors.badArgument(driver.errorDomain(), "period in " + driver.name()
                + "DomainSetMemoryStatsPeriod must be zero or greater");
        }
        domains.setMemoryStatsPeriod(domain, period, flags);
    }

    @Override
    public int openGraphicsFd(DomainRef domain, int index, int flags) {
        writable("virDomainOpenGraphicsFD");
        checkDriverFlags(flags, 1, "DomainOpenGraphicsFD");
        return domains.openGraphicsFd(domain, index, (flags & 1) != 0);
    }

    @Override
    public Screenshot screenshot(DomainRef domain, int screen, int flags) {
        writable("virDomainScreenshot");
        checkDriverFlags(flags, 0, "DomainScreenshot");
        return domains.screenshot(domain, screen);
    }

    @Override
    public List<VcpuInfo> vcpuInfo(DomainRef domain) {
        return domains.vcpuInfo(domain);
    }

    @Override
    public List<java.util.BitSet> vcpuPinInfo(DomainRef domain, int flags) {
        checkDriverFlags(flags, 1 | 2, "DomainGetVcpuPinInfo");
        boolean config = (flags & 2) != 0 || (flags & 1) == 0 && !isActive(domain);
        return tuning.vcpuPinInfo(domain, config);
    }

    @Override
    public BlockInfo blockInfo(DomainRef domain, String disk, int flags) {
        checkDriverFlags(flags, 0, "DomainGetBlockInfo");
        return domains.blockInfo(domain, disk);
    }

    @Override
    public List<DomainInterface> interfaceAddresses(DomainRef domain, int source, int flags) {
        checkDriverFlags(flags, 0, "DomainInterfaceAddresses");
        return domains.interfaceAddresses(domain, source);
    }

    /** VIR_DOMAIN_CONSOLE_FORCE and VIR_DOMAIN_CONSOLE_SAFE (a console is always safe here: one client). */
    private static final int CONSOLE_FLAGS = 1 | 2;

    @Override
    public ConsoleStream openConsole(DomainRef domain, String devName, int flags) {
        writable("virDomainOpenConsole");
        checkDriverFlags(flags, CONSOLE_FLAGS, "DomainOpenConsole");
        return domains.openConsole(domain, devName, (flags & 1) != 0);
    }

    /** VIR_DOMAIN_CHANNEL_FORCE. */
    private static final int CHANNEL_FORCE = 1;

    @Override
    public ConsoleStream openChannel(DomainRef domain, String name, int flags) {
        writable("virDomainOpenChannel");
        checkDriverFlags(flags, CHANNEL_FORCE, "DomainOpenChannel");
        return domains.openChannel(domain, name, (flags & CHANNEL_FORCE) != 0);
    }

    @Override
    public java.util.List<java.nio.file.Path> lxcOpenNamespace(DomainRef domain, int flags) {
        writable("virDomainLxcOpenNamespace");
        checkDriverFlags(flags, 0, "DomainLxcOpenNamespace");
        return domains.namespaceFiles(domain);
    }

    // The node calls: libvirt's public API checks (reported from the domain of libvirt-host.c), then the host's.

    @Override
    public List<TypedParameter> nodeCpuStats(int cpu, int nparams, int flags) {
        if (cpu < -1) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN,
                "cpuNum in virNodeGetCPUStats only accepts -1 as a negative value");
        }
        nonNegative(nparams, "nparams", "virNodeGetCPUStats");
        return HostStatistics.SYSTEM.cpuStats(cpu, nparams, flags);
    }

    @Override
    public List<TypedParameter> nodeMemoryStats(int cell, int nparams, int flags) {
        if (cell < -1) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN,
                "cellNum in virNodeGetMemoryStats only accepts -1 as a negative value");
        }
        nonNegative(nparams, "nparams", "virNodeGetMemoryStats");
        return HostStatistics.SYSTEM.memoryStats(cell, nparams, flags);
    }

    @Override
    public long nodeFreeMemory() {
        return HostStatistics.SYSTEM.freeMemory();
    }

    @Override
    public List<Long> nodeCellsFreeMemory(int startCell, int maxCells) {
        nonNegative(startCell, "startCell", "virNodeGetCellsFreeMemory");
        if (maxCells <= 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN,
                "maxCells in virNodeGetCellsFreeMemory must be greater than zero");
        }
        return HostStatistics.SYSTEM.cellsFreeMemory(startCell, maxCells);
    }

    @Override
    public CpuMap nodeCpuMap(int flags) {
        return HostStatistics.SYSTEM.cpuMap(flags);
    }

    @Override
    public List<Long> nodeFreePages(List<Integer> pageSizesKiB, int startCell, int cellCount, int flags) {
        if (pageSizesKiB.isEmpty()) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "npages in virNodeGetFreePages must not be zero");
        }
        if (cellCount == 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "cellCount in virNodeGetFreePages must not be zero");
        }
        checkDriverFlags(flags, 0, "NodeGetFreePages");
        return HostStatistics.SYSTEM.freePages(pageSizesKiB, startCell, cellCount);
    }

    @Override
    public List<TypedParameter> nodeMemoryParameters(int nparams, int flags) {
        nonNegative(nparams, "nparams", "virNodeGetMemoryParameters");
        return HostStatistics.SYSTEM.memoryParameters(nparams, flags);
    }

    @Override
    public byte[] blockPeek(DomainRef domain, String disk, long offset, int size, int flags) {
        writable("virDomainBlockPeek");
        return peeks.blockPeek(domain, disk, offset, size, flags);
    }

    @Override
    public byte[] memoryPeek(DomainRef domain, long offset, int size, int flags) {
        writable("virDomainMemoryPeek");
        return peeks.memoryPeek(domain, offset, size, flags);
    }

    @Override
    public void startDirtyRateCalc(DomainRef domain, int seconds, int flags) {
        writable("virDomainStartDirtyRateCalc");
        peeks.startDirtyRateCalc(domain, seconds, flags);
    }

    @Override
    public void setAgentResponseTimeout(DomainRef domain, int seconds, int flags) {
        writable("virDomainAgentSetResponseTimeout");
        checkDriverFlags(flags, 0, "DomainAgentSetResponseTimeout");
        agent.setResponseTimeout(domain, seconds);
    }

    @Override
    public void setNodeMemoryParameters(List<TypedParameter> params, int flags) {
        writable("virNodeSetMemoryParameters");
        HostMemoryTuning.SYSTEM.setKsmParameters(params, flags);
    }

    /** VIR_NODE_ALLOC_PAGES_SET: set the pools to the counts rather than grow them by the counts. */
    private static final int ALLOC_PAGES_SET = 1;

    @Override
    public int nodeAllocPages(List<Integer> pageSizesKiB, List<Long> counts, int startCell, int cellCount,
                              int flags) {
        writable("virNodeAllocPages");
        if (pageSizesKiB.isEmpty()) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "npages in virNodeAllocPages must not be zero");
        }
        if (cellCount == 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "cellCount in virNodeAllocPages must not be zero");
        }
        checkDriverFlags(flags, ALLOC_PAGES_SET, "NodeAllocPages");
        return HostMemoryTuning.SYSTEM.allocPages(pageSizesKiB, counts, startCell, cellCount,
            (flags & ALLOC_PAGES_SET) == 0);
    }

    @Override
    public void nodeSuspend(int target, long seconds, int flags) {
        writable("virNodeSuspendForDuration");
        HostSuspend.suspend(target, seconds, flags);
    }

    private static void nonNegative(int value, String argument, String api) {
        if (value < 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, argument + " in " + api + " must be zero or greater");
        }
    }

    @Override
    public org.jvirtd.api.connect.DomainBackups backups() {
        return new CoreBackups(readOnly, this::driver, domains);
    }

    @Override
    public org.jvirtd.api.connect.DomainBlockOperations blockOperations() {
        return new CoreBlockOperations(readOnly, this::driver, domains);
    }

    /**
     * virCheckFlags as a driver's entry points run it: flags outside {@code known} are refused from the driver's
     * error domain, naming the driver's function ("qemuDomainScreenshot" for api "DomainScreenshot").
     */
    private void checkDriverFlags(int flags, int known, String api) {
        HypervisorDriver driver = driver();
        VirtErrors.checkFlags(driver.errorDomain(), flags, known, driver.name() + api);
    }
}
