package org.jvirtd.driver.qemu.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.command.DiskSecrets;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.command.GuestValidator;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.conf.HugetlbfsMounts;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptors;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.net.HostNetwork;
import org.jvirtd.driver.qemu.internal.net.InterfaceAddresses;
import org.jvirtd.driver.qemu.internal.process.CgroupCpuUsage;
import org.jvirtd.driver.qemu.internal.process.CgroupTunables;
import org.jvirtd.driver.qemu.internal.process.QemuProcess;
import org.jvirtd.driver.qemu.internal.process.SaveImage;
import org.jvirtd.driver.qemu.internal.run.ConsoleDevices;
import org.jvirtd.driver.qemu.internal.run.DirtyRate;
import org.jvirtd.driver.qemu.internal.run.GuestPeek;
import org.jvirtd.driver.qemu.internal.run.Hotplug;
import org.jvirtd.driver.qemu.internal.run.MigrationStreams;
import org.jvirtd.driver.qemu.internal.run.DiskPassphrases;
import org.jvirtd.driver.qemu.internal.run.NativeCommand;
import org.jvirtd.driver.qemu.internal.run.QemuLauncher;
import org.jvirtd.driver.qemu.internal.qmp.AgentClient;
import org.jvirtd.driver.qemu.internal.run.BlockThrottle;
import org.jvirtd.driver.qemu.internal.run.CpuPinning;
import org.jvirtd.driver.qemu.internal.run.IothreadControl;
import org.jvirtd.driver.qemu.internal.run.GuestAgentChannel;
import org.jvirtd.driver.qemu.internal.run.MediaChange;
import org.jvirtd.driver.qemu.internal.run.QemuRun;
import org.jvirtd.driver.qemu.internal.run.TpmEmulator;
import org.jvirtd.driver.qemu.internal.run.VirtiofsDaemons;
import org.jvirtd.driver.qemu.internal.run.VcpuHotplug;
import org.jvirtd.driver.qemu.internal.snapshot.QemuSnapshots;
import org.jvirtd.driver.qemu.internal.stats.DiskFiles;
import org.jvirtd.driver.qemu.internal.stats.QemuStats;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.platform.conf.ConfFile;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The QEMU/KVM hypervisor driver (qemu:///system, qemu:///session): runs each domain as a detached
 * QEMU process, watches it over QMP and takes it over again after a daemon restart or bundle update.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=qemu")
public final class QemuDriver implements HypervisorDriver {
    private static final String DEFAULT_EMULATOR = "/usr/bin/qemu-system-x86_64";
    private static final long DESTROY_GRACE_MILLIS = 3000;
    /** VIR_CONNECT_GET_DOMAIN_CAPABILITIES_DISABLE_DEPRECATED_FEATURES. */
    private static final int DISABLE_DEPRECATED_FEATURES = 1;
    private static final Path VFIO = Path.of("/dev/vfio/vfio");

    private final QemuConf conf;
    private final QemuCapsCache capsCache;
    private final HostNetwork network;
    private final DiskPassphrases passphrases = new DiskPassphrases();
    private final Path nvramDir;
    private final Map<UUID, QemuRun> runs = new ConcurrentHashMap<>();

    @Activate
    public QemuDriver(BundleContext context) {
        this(QemuPaths.resolve(context.getProperty("jvirtd.root"), "root".equals(System.getProperty("user.name")),
            System.getenv(), System.getProperty("user.home")), context.getProperty("jvirtd.config"));
    }

    /** {@code daemonConfig}: the jvirtd.conf the launcher names, null for the default one. */
    QemuDriver(QemuPaths paths, String daemonConfig) {
        this(QemuConf.read(ConfFile.read(paths.configFile()), Path.of("/tmp"), System.getenv(),
            HugetlbfsMounts.detect()), new QemuCapsCache(paths.capsCacheDir()),
            new HostNetwork(ConfFile.read(paths.daemonConfig(daemonConfig)).string("network_namespace", "")),
            paths.nvramDir());
    }

    /** A driver whose NVRAM files go beside the capability cache. */
    QemuDriver(QemuConf conf, QemuCapsCache capsCache) {
        this(conf, capsCache, new HostNetwork(""));
    }

    QemuDriver(QemuConf conf, QemuCapsCache capsCache, HostNetwork network) {
        this(conf, capsCache, network, capsCache.dir().resolveSibling("nvram"));
    }

    QemuDriver(QemuConf conf, QemuCapsCache capsCache, HostNetwork network, Path nvramDir) {
        this.conf = conf;
        this.capsCache = capsCache;
        this.network = network;
        this.nvramDir = nvramDir;
    }

    /** The network driver names the bridge of each {@code <interface type='network'>}; without it those fail. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindNetworks(Networks networks) {
        network.bind(networks);
    }

    void unbindNetworks(Networks networks) {
        network.unbind(networks);
    }

    /** The secret driver gives the passphrases of encrypted disks; without it those guests do not start. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindSecrets(SecretValues secrets) {
        passphrases.bind(secrets);
    }

    void unbindSecrets(SecretValues secrets) {
        passphrases.unbind(secrets);
    }

    /** The nwfilter driver puts the rules of an interface's {@code <filterref>} on its TAP. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindFilters(NwFilters filters) {
        network.bindFilters(filters);
    }

    void unbindFilters(NwFilters filters) {
        network.unbindFilters(filters);
    }

    /** Releases the monitors; the guests keep running for the next driver instance. */
    @Deactivate
    void deactivate() {
        runs.values().forEach(QemuRun::release);
        runs.clear();
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public String type() {
        return "QEMU";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.QEMU;
    }

    @Override
    public long hypervisorVersion() {
        return capsCache.get(DEFAULT_EMULATOR).version();
    }

    /** What the default emulator can do, probed once and cached. */
    QemuCaps probedCaps() {
        return capsCache.get(DEFAULT_EMULATOR);
    }

    @Override
    public String capabilities() {
        return HostCapabilities.xml(capsCache.get(DEFAULT_EMULATOR));
    }

    @Override
    public String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        if ((flags & ~DISABLE_DEPRECATED_FEATURES) != 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function qemuConnectGetDomainCapabilities");
        }
        QemuCaps caps = capsCache.get(emulator != null ? emulator : DEFAULT_EMULATOR);
        String type = virtType != null ? virtType : caps.has("kvm") ? "kvm" : "qemu";
        if (!"qemu".equals(type) && !("kvm".equals(type) && caps.has("kvm"))) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU,
                "Emulator '" + caps.emulator() + "' does not support virt type '" + type + "'");
        }
        boolean i686OnX86 = "i686".equals(arch) && "x86_64".equals(caps.arch());
        if (arch != null && !arch.equals(caps.arch()) && !i686OnX86) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "unable to find any emulator to serve '" + arch + "' architecture");
        }
        String accel = "kvm".equals(type) ? "kvm" : "tcg";
        QemuCaps.Machine m = (machine == null ? caps.defaultMachine(accel) : caps.machine(accel, machine))
            .orElseThrow(() -> VirtErrors.invalidArg(ErrorDomain.QEMU, "the machine '" + machine
                + "' is not supported by emulator '" + caps.emulator() + "'"));
        return DomainCapabilities.xml(caps, arch != null ? arch : caps.arch(), type, m, new DomainCapabilities.Host(
            FirmwareDescriptors.read(FirmwareDescriptors.SYSTEM_DIRS), onPath("swtpm"), Files.exists(VFIO)));
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return java.util.Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * jvirtd's QEMU driver labels nothing (no SELinux, AppArmor or DAC relabelling): libvirt calls that
     * security driver "none", DOI "0".
     */
    @Override
    public Connection.SecurityModel securityModel() {
        return new Connection.SecurityModel(HostCapabilities.SECURITY_MODEL, HostCapabilities.SECURITY_DOI);
    }

    @Override
    public int maxVcpus(String type) {
        return capsCache.get(DEFAULT_EMULATOR).machines().stream().mapToInt(QemuCaps.Machine::maxCpus).max()
            .orElse(255);
    }

    @Override
    public String validateDefinition(String xml) {
        // parsed once for the checks and the post-parse pass (a define's cost is mostly parsing and formatting)
        DomainDef parsed = PostParse.parseNew(xml);
        GuestDef def = GuestXml.parse(xml, parsed, -1);
        if (!"qemu".equals(def.type()) && !"kvm".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                "could not find capabilities for domaintype=" + def.type());
        }
        QemuCaps caps = capsCache.get(emulatorOf(def));
        GuestValidator.validate(def, caps, conf);
        for (GuestDef.Tpm tpm : def.devices().tpms()) {
            // libvirt asks swtpm_setup which TPM versions swtpm emulates: none, when it is not installed
            if ("emulator".equals(tpm.backend()) && !(onPath("swtpm") && onPath("swtpm_setup"))) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "TPM version '" + tpm.effectiveVersion() + "' is not supported");
            }
        }
        // the pass names the caps' emulator when the definition has none; its output is already in the form a
        // parse and format give (PostParseFixedPointTest), so it is not put through them once more here
        return PostParse.apply(parsed, caps, System.getenv());
    }

    /**
     * An undefined domain's emulated TPM state goes with it, as libvirt removes it: always with UNDEFINE_TPM, never
     * with UNDEFINE_KEEP_TPM, otherwise unless the definition keeps it ({@code persistent_state='yes'}).
     */
    @Override
    public void undefined(DomainHandle domain, int flags) {
        if ((flags & DomainFlags.UNDEFINE_TPM) != 0 && (flags & DomainFlags.UNDEFINE_KEEP_TPM) != 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU,
                "Flags 'VIR_DOMAIN_UNDEFINE_TPM' and 'VIR_DOMAIN_UNDEFINE_KEEP_TPM' are mutually exclusive");
        }
        boolean emulated = false;
        boolean persistentState = false;
        for (GuestDef.Tpm tpm : GuestXml.parse(domain.xml(), -1).devices().tpms()) {
            if ("emulator".equals(tpm.backend())) {
                emulated = true;
                persistentState |= tpm.persistentState();
            }
        }
        boolean delete = (flags & DomainFlags.UNDEFINE_TPM) != 0
            || (emulated && !persistentState && (flags & DomainFlags.UNDEFINE_KEEP_TPM) == 0);
        if (delete) {
            TpmEmulator.deleteState(domain.stateDir(), domain.uuid());
        }
    }

    /**
     * virConnectDomainXMLToNative, format "qemu-argv": the command line a start of the definition would run, on
     * one line as libvirt prints it; per-domain paths under the driver's state directory (libvirt's
     * /var/lib/libvirt/qemu), TAP devices as descriptors.
     */
    @Override
    public String domainXmlToNative(String format, String xml) {
        if (!"qemu-argv".equals(format)) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "unsupported config type " + format);
        }
        String defined = validateDefinition(xml);
        QemuCaps caps = capsCache.get(emulatorOf(GuestXml.parse(defined, -1)));
        return NativeCommand.of(defined, caps, conf.forNative(stateDir()), nvramDir,
            passphrases.under(DiskSecrets.newMasterKey())).renderLine();
    }

    /** The driver's state directory, libvirt's /var/lib/libvirt/qemu: where the capability cache is. */
    private Path stateDir() {
        return capsCache.dir().getParent();
    }

    /**
     * The definition's QEMU binary, else the one for its architecture as libvirt's capabilities name it
     * (/usr/bin/qemu-system-i386 for i686 guests).
     */
    private static String emulatorOf(GuestDef def) {
        if (def.devices().emulator() != null) {
            return def.devices().emulator();
        }
        String arch = def.os() == null ? null : def.os().arch();
        if (arch == null || arch.equals("x86_64")) {
            return DEFAULT_EMULATOR;
        }
        return "/usr/bin/qemu-system-" + switch (arch) {
            case "i686" -> "i386";
            case "ppc64le" -> "ppc64";
            case "armv6l", "armv7l" -> "arm";
            default -> arch;
        };
    }

    @Override
    public void start(DomainHandle domain, boolean paused) {
        track(domain, QemuLauncher.launch(domain, conf, capsCache, network, passphrases, nvramDir, paused, null, 0,
            gone(domain)));
    }

    private Runnable gone(DomainHandle domain) {
        return () -> runs.computeIfPresent(domain.uuid(), (k, run) -> run.handle().id() == domain.id() ? null : run);
    }

    private void track(DomainHandle domain, QemuRun run) {
        runs.put(domain.uuid(), run);
        if (run.qmp().closed().isDone()) {
            runs.remove(domain.uuid(), run);
        }
    }

    private QemuRun run(DomainHandle domain) {
        QemuRun run = runs.get(domain.uuid());
        if (run == null || run.handle().id() != domain.id()) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "domain is not running");
        }
        return run;
    }

    @Override
    public void shutdown(DomainHandle domain) {
        run(domain).qmp().systemPowerdown();
    }

    @Override
    public void reboot(DomainHandle domain) {
        QemuRun run = run(domain);
        run.requestFakeReboot();
        run.qmp().systemPowerdown();
    }

    @Override
    public void destroy(DomainHandle domain) {
        QemuRun run = runs.get(domain.uuid());
        if (run == null) {
            long pid = Long.parseLong(domain.runtime().getOrDefault(QemuLauncher.PID, "0"));
            if (pid > 0 && QemuProcess.isRunning(pid, domain.runtime().getOrDefault(QemuLauncher.MONITOR, ""))) {
                QemuProcess.signal(pid, true);
            }
            network.unplug(HostNetwork.recorded(domain.runtime()));
            return;
        }
        stop(run);
    }

    /** SIGTERM, SIGKILL after the grace; returns as soon as the monitor reports QEMU gone. */
    private void stop(QemuRun run) {
        run.quiet();
        QemuProcess.signal(run.pid(), false);
        try {
            run.qmp().closed().get(DESTROY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            QemuProcess.signal(run.pid(), true);
            run.qmp().closed().orTimeout(DESTROY_GRACE_MILLIS, TimeUnit.MILLISECONDS).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while destroying");
        } catch (java.util.concurrent.ExecutionException e) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "destroy failed: " + e.getCause());
        }
        awaitExit(run);
        run.unplug();
        runs.remove(run.handle().uuid(), run);
    }

    /**
     * The monitor closes while the process is still tearing down; a destroy returns once the kernel has
     * finished it (gone or a zombie), which takes a few milliseconds more.
     */
    private static void awaitExit(QemuRun run) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DESTROY_GRACE_MILLIS);
        while (QemuProcess.isRunning(run.pid(), run.monitor().toString()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void suspend(DomainHandle domain) {
        QemuRun run = run(domain);
        run.expectPauseChange();
        run.qmp().stop();
    }

    @Override
    public void resume(DomainHandle domain) {
        QemuRun run = run(domain);
        run.expectPauseChange();
        run.qmp().cont();
    }

    @Override
    public void save(DomainHandle domain, Path file) {
        QemuRun run = run(domain);
        boolean running = "running".equals(run.qmp().queryStatus());
        String migratable = DomainXml.format(DomainXml.parse(domain.xml()), -1, DomainXml.MIGRATABLE | DomainXml.SECURE);
        MigrationStreams.save(run, file, migratable, running,
            Path.of(domain.runtime().getOrDefault(QemuLauncher.PRIVATE_DIR, domain.runDir().toString())));
        run.ignoreShutdown();
        stop(run);
    }

    /** dump-guest-memory's format names by virDomainCoreDumpFormat number. */
    private static final List<String> DUMP_FORMATS = List.of("elf", "kdump-zlib", "kdump-lzo", "kdump-snappy",
        "win-dmp");

    /**
     * A memory-only dump through dump-guest-memory in the asked format, or the guest's whole migration stream;
     * a guest the stream left paused runs on when it ran before.
     */
    @Override
    public void coreDump(DomainHandle domain, Path file, int format, boolean memoryOnly) {
        QemuRun run = run(domain);
        if (memoryOnly) {
            run.qmp().execute("dump-guest-memory", Props.of("paging", false).put("protocol", "file:" + file)
                .put("format", DUMP_FORMATS.get(format)), java.time.Duration.ofMinutes(30));
            return;
        }
        boolean running = "running".equals(run.qmp().queryStatus());
        MigrationStreams.dump(run, file,
            Path.of(domain.runtime().getOrDefault(QemuLauncher.PRIVATE_DIR, domain.runDir().toString())));
        if (running) {
            run.expectPauseChange();
            run.qmp().cont();
        }
    }

    @Override
    public String saveImageXml(Path file) {
        return SaveImage.read(file).xml();
    }

    @Override
    public boolean saveImageWasRunning(Path file) {
        return SaveImage.read(file).wasRunning();
    }

    @Override
    public void saveImageDefine(Path file, String xml, Boolean running) {
        SaveImage.rewrite(file, xml, running);
    }

    @Override
    public void restore(DomainHandle domain, Path file, boolean paused) {
        SaveImage.Header header = SaveImage.read(file);
        track(domain, QemuLauncher.launch(domain, conf, capsCache, network, passphrases, nvramDir, paused, file,
            header.streamOffset(), gone(domain)));
    }

    @Override
    public String createSnapshot(DomainHandle domain, boolean active, String snapshotXml, int flags) {
        return QemuSnapshots.create(domain, active, snapshotXml, flags, () -> run(domain));
    }

    @Override
    public void revertSnapshot(DomainHandle domain, boolean active, String snapshotXml) {
        QemuSnapshots.revert(domain, active, snapshotXml, () -> run(domain));
    }

    @Override
    public void deleteSnapshot(DomainHandle domain, boolean active, String snapshotXml) {
        QemuSnapshots.delete(domain, active, snapshotXml, () -> run(domain));
    }

    @Override
    public boolean reattach(DomainHandle domain) {
        Map<String, String> facts = domain.runtime();
        long pid = Long.parseLong(facts.getOrDefault(QemuLauncher.PID, "0"));
        String monitor = facts.getOrDefault(QemuLauncher.MONITOR, "");
        if (pid <= 0 || !QemuProcess.isRunning(pid, monitor)) {
            network.unplug(HostNetwork.recorded(facts));
            TpmEmulator.stopRecorded(facts);
            VirtiofsDaemons.stopRecorded(facts);
            return false;
        }
        try {
            Runnable unplug = network.unplugOnce(() -> HostNetwork.recorded(domain.runtime()));
            QemuRun run = QemuRun.reconnect(domain, pid, Path.of(monitor), () -> {
                unplug.run();
                TpmEmulator.stopRecorded(domain.runtime());
                VirtiofsDaemons.stopRecorded(domain.runtime());
            }, gone(domain));
            track(domain, run);
            return true;
        } catch (VirtException e) {
            System.getLogger(QemuDriver.class.getName()).log(System.Logger.Level.WARNING,
                "cannot reconnect to " + domain.name() + ": " + e.getMessage());
            return QemuProcess.isRunning(pid, monitor);
        }
    }

    @Override
    public long cpuTimeNanos(DomainHandle domain) {
        return QemuProcess.cpuTimeNanos(Long.parseLong(domain.runtime().getOrDefault(QemuLauncher.PID, "0")));
    }

    @Override
    public void attachDevice(DomainHandle domain, String deviceXml) {
        Hotplug.attach(run(domain), domain, network, deviceXml);
    }

    @Override
    public void detachDevice(DomainHandle domain, String deviceXml) {
        Hotplug.detach(run(domain), domain, network, deviceXml);
    }

    @Override
    public List<TypedParameter> blockStats(DomainHandle domain, String disk) {
        return stats(domain).blockStats(disk);
    }

    @Override
    public InterfaceStats interfaceStats(DomainHandle domain, String device) {
        return stats(domain).interfaceStats(device);
    }

    @Override
    public List<MemoryStat> memoryStats(DomainHandle domain) {
        return stats(domain).memoryStats();
    }

    @Override
    public List<TypedParameter> domainStats(DomainHandle domain, boolean active, int groups) {
        if (!active) {
            return List.of();
        }
        QemuRun run = runs.get(domain.uuid());
        if (run == null || run.handle().id() != domain.id()) {
            return List.of();
        }
        return new QemuStats(run.qmp(), run.pid(), GuestXml.parse(domain.xml(), domain.id())).groups(groups);
    }

    @Override
    public int statsGroups() {
        return DomainStats.STATE | QemuStats.GROUPS;
    }

    @Override
    public Path consolePath(DomainHandle domain, String devName) {
        return ConsoleDevices.pty(run(domain).qmp(), GuestXml.parse(domain.xml(), domain.id()), devName);
    }

    @Override
    public Path channelSocket(DomainHandle domain, String name) {
        run(domain);
        return ConsoleDevices.channelSocket(GuestXml.parse(domain.xml(), domain.id()), name);
    }

    @Override
    public void setBalloon(DomainHandle domain, long kib) {
        QemuRun run = run(domain);
        GuestDef def = GuestXml.parse(domain.xml(), domain.id());
        if (def.devices().memballoon() == null || "none".equals(def.devices().memballoon().model())) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "Unable to change memory of active domain without "
                + "the balloon device and guest OS balloon driver");
        }
        run.qmp().execute("balloon", Props.of("value", kib * 1024), java.time.Duration.ofSeconds(10));
    }

    @Override
    public void setLiveVcpus(DomainHandle domain, int count) {
        VcpuHotplug.set(run(domain), count);
    }

    @Override
    public void setLiveVcpu(DomainHandle domain, int vcpu, boolean online) {
        VcpuHotplug.setOne(run(domain), vcpu, online);
    }

    @Override
    public List<TypedParameter> liveMemoryParameters(DomainHandle domain) {
        return new CgroupTunables(run(domain).cgroups()).memory();
    }

    @Override
    public void setLiveMemoryParameters(DomainHandle domain, Map<String, Long> kib) {
        new CgroupTunables(run(domain).cgroups()).setMemory(kib);
    }

    @Override
    public List<TypedParameter> liveCpuTotals(DomainHandle domain) {
        return new CgroupCpuUsage(run(domain).cgroups()).total();
    }

    @Override
    public List<Long> liveCpuTimes(DomainHandle domain) {
        return new CgroupCpuUsage(run(domain).cgroups()).perCpu();
    }

    @Override
    public int liveBlkioWeight(DomainHandle domain) {
        return new CgroupTunables(run(domain).cgroups()).blkioWeight();
    }

    @Override
    public void setLiveBlkioWeight(DomainHandle domain, int weight) {
        new CgroupTunables(run(domain).cgroups()).setBlkioWeight(weight);
    }

    @Override
    public int schedulerParameterCount() {
        return CgroupTunables.schedulerParameterCount();
    }

    @Override
    public List<TypedParameter> liveSchedulerParameters(DomainHandle domain) {
        return new CgroupTunables(run(domain).cgroups()).scheduler();
    }

    @Override
    public void setLiveSchedulerParameters(DomainHandle domain, List<TypedParameter> params) {
        Map<String, Long> values = new java.util.HashMap<>();
        for (TypedParameter param : params) {
            if (param.field().matches("(vcpu|emulator|iothread)_(period|quota)")) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU, "jvirtd puts a guest's "
                    + "threads in one cgroup and cannot set '" + param.field() + "' apart; use global_period and "
                    + "global_quota");
            }
            values.put(param.field(), ((Number) param.value()).longValue());
        }
        new CgroupTunables(run(domain).cgroups()).setScheduler(values.get("cpu_shares"), values.get("global_period"),
            values.get("global_quota"));
    }

    @Override
    public void pinVcpu(DomainHandle domain, int vcpu, java.util.BitSet cpus) {
        CpuPinning.vcpu(run(domain), vcpu, cpus);
    }

    @Override
    public void pinEmulator(DomainHandle domain, java.util.BitSet cpus) {
        CpuPinning.emulator(run(domain), cpus);
    }

    @Override
    public void addIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
        QemuRun run = run(domain);
        IothreadControl.add(run, id);
        if (cpus != null) {
            IothreadControl.pin(run, id, cpus);
        }
    }

    @Override
    public void delIothread(DomainHandle domain, int id) {
        IothreadControl.delete(run(domain), id);
    }

    @Override
    public void pinIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
        IothreadControl.pin(run(domain), id, cpus);
    }

    @Override
    public void setIothreadParams(DomainHandle domain, int id, Map<String, Long> values) {
        IothreadControl.set(run(domain), id, values);
    }

    @Override
    public Map<String, Object> liveBlockIoTune(DomainHandle domain, String target) {
        return BlockThrottle.get(run(domain), GuestXml.parse(domain.xml(), domain.id()), target);
    }

    @Override
    public void setLiveBlockIoTune(DomainHandle domain, String target, Map<String, Object> values) {
        BlockThrottle.set(run(domain), GuestXml.parse(domain.xml(), domain.id()), target, values);
    }

    @Override
    public Map<String, Integer> diskErrors(DomainHandle domain) {
        return BlockThrottle.errors(run(domain), GuestXml.parse(domain.xml(), domain.id()));
    }

    /**
     * As libvirt 9.0 does: a suspend to memory needs the machine's wakeup support (query-current-machine),
     * then the guest agent suspends the guest (guest-suspend-ram/disk/hybrid, which answer nothing).
     */
    @Override
    @SuppressWarnings("unchecked")
    public void pmSuspend(DomainHandle domain, int target) {
        QemuRun run = run(domain);
        if (target != 1) {
            Map<String, Object> machine = (Map<String, Object>) run.qmp().execute("query-current-machine", null,
                java.time.Duration.ofSeconds(10));
            if (!Boolean.TRUE.equals(machine.get("wakeup-suspend-support"))) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "Domain does not have suspend support");
            }
        }
        String command = List.of("guest-suspend-ram", "guest-suspend-disk", "guest-suspend-hybrid").get(target);
        GuestAgentChannel.open(run, GuestXml.parse(domain.xml(), domain.id())).executeNoReply(command, null);
    }

    @Override
    public void pmWakeup(DomainHandle domain) {
        run(domain).qmp().execute("system_wakeup", null, java.time.Duration.ofSeconds(10));
    }

    /** tc on the interface's TAP (its live target device); an interface without one (user mode) is refused. */
    @Override
    public void setLiveBandwidth(DomainHandle domain, String device, Map<String, Map<String, Long>> bandwidth) {
        run(domain);
        if (device == null || !HostNetwork.recorded(domain.runtime()).contains(device)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                "bandwidth of an interface without a TAP of its own cannot be set on a running domain");
        }
        network.shape(device, bandwidth);
    }

    /** jvirtd puts a guest's threads in cpu, cpuacct, memory, pids and blkio cgroups, never in a cpuset one. */
    @Override
    public void setLiveNumaNodeset(DomainHandle domain, String nodeset) {
        run(domain);
        throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "cgroup cpuset controller is not mounted");
    }

    @Override
    public void setLiveLifecycleAction(DomainHandle domain, String element, String action) {
        QemuRun run = run(domain);
        if (element.equals("on_poweroff")) {
            run.setOnPoweroff(action);
        } else if (element.equals("on_reboot")) {
            run.qmp().setAction("destroy".equals(action) ? "shutdown" : "reset");
        }
    }

    @Override
    public void updateDevice(DomainHandle domain, String deviceXml) {
        MediaChange.apply(run(domain), domain, deviceXml);
    }

    @Override
    public Object agent(DomainHandle domain, String command, Map<String, Object> arguments, int timeoutSeconds) {
        QemuRun run = run(domain);
        Props args = null;
        if (arguments != null) {
            Props built = new Props();
            arguments.forEach(built::put);
            args = built;
        }
        AgentClient client = GuestAgentChannel.open(run, GuestXml.parse(domain.xml(), domain.id()));
        if (timeoutSeconds == 0) {
            client.executeNoReply(command, args);
            return null;
        }
        return client.execute(command, args, GuestAgentChannel.timeout(timeoutSeconds));
    }

    @Override
    public String agentRaw(DomainHandle domain, String json, int timeoutSeconds) {
        QemuRun run = run(domain);
        return GuestAgentChannel.open(run, GuestXml.parse(domain.xml(), domain.id()))
            .executeRaw(json, GuestAgentChannel.timeout(timeoutSeconds));
    }

    @Override
    public String leaseHostname(DomainHandle domain) {
        run(domain);
        return InterfaceAddresses.leaseHostname(GuestXml.parse(domain.xml(), domain.id()), network.networks());
    }

    @Override
    public boolean agentConnected(DomainHandle domain) {
        return GuestAgentChannel.connected(run(domain), GuestXml.parse(domain.xml(), domain.id()));
    }

    /** As libvirt does after the guest agent set an x86 guest's clock: QEMU drops the RTC ticks it still owes. */
    @Override
    public void clockSet(DomainHandle domain) {
        GuestDef def = GuestXml.parse(domain.xml(), domain.id());
        if ("x86_64".equals(def.os().arch()) || "i686".equals(def.os().arch())) {
            run(domain).qmp().execute("rtc-reset-reinjection", null, java.time.Duration.ofSeconds(10));
        }
    }

    @Override
    public int onlineVcpus(DomainHandle domain) {
        return VcpuHotplug.online(run(domain));
    }

    /** send-key with each key as its number; QEMU's default hold time unless one is given. */
    @Override
    public void sendKey(DomainHandle domain, int[] qnumKeys, int holdtimeMs) {
        List<Props> keys = new java.util.ArrayList<>();
        for (int key : qnumKeys) {
            keys.add(Props.of("type", "number").put("data", key));
        }
        Props args = Props.of("keys", keys);
        if (holdtimeMs > 0) {
            args.put("hold-time", holdtimeMs);
        }
        run(domain).qmp().execute("send-key", args, java.time.Duration.ofSeconds(10));
    }

    @Override
    public void injectNmi(DomainHandle domain) {
        run(domain).qmp().execute("inject-nmi", null, java.time.Duration.ofSeconds(10));
    }

    @Override
    public void reset(DomainHandle domain) {
        run(domain).qmp().systemReset();
    }

    @Override
    public void setStatsPeriod(DomainHandle domain, int seconds) {
        run(domain).qmp().execute("qom-set", Props.of("path", "/machine/peripheral/balloon0")
            .put("property", "guest-stats-polling-interval").put("value", seconds), java.time.Duration.ofSeconds(10));
    }

    /**
     * QEMU writes the screen of head {@code screen} (counted over the video devices' heads) as PNG into the
     * guest's private directory; the image is read and the file removed.
     */
    @Override
    public byte[] blockPeek(DomainHandle domain, String disk, long offset, int size) {
        return GuestPeek.block(GuestXml.parse(domain.xml(), domain.id()), disk, offset, size);
    }

    @Override
    public byte[] memoryPeek(DomainHandle domain, long offset, int size, boolean physical) {
        QemuRun run = run(domain);
        Path privateDir = Path.of(domain.runtime().getOrDefault(QemuLauncher.PRIVATE_DIR, domain.runDir().toString()));
        return GuestPeek.memory(run, privateDir, offset, size, physical);
    }

    @Override
    public void startDirtyRateCalc(DomainHandle domain, int seconds, int flags) {
        DirtyRate.start(run(domain), GuestXml.parse(domain.xml(), domain.id()), seconds, flags);
    }

    /**
     * A socket pair, one end passed to QEMU (getfd) and handed to the display server as a client (add_client),
     * as libvirt does; QEMU's copy is closed here, the other end returned. libvirt's refusals for an index
     * past the graphics devices and for a device that is neither VNC nor SPICE.
     */
    @Override
    public boolean reportsPauseAroundSave() {
        return true;
    }

    @Override
    public boolean reportsTunableEvents() {
        return true;
    }

    @Override
    public int openGraphicsFd(DomainHandle domain, int index, boolean skipAuth) {
        org.jvirtd.model.domain.DomainEditor doc = org.jvirtd.model.domain.DomainEditor.of(domain.xml());
        if (index < 0 || index >= doc.count("graphics")) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "No graphics backend with index " + index);
        }
        String type = doc.attr("graphics", index, null, "type");
        if (!"vnc".equals(type) && !"spice".equals(type)) {
            throw new org.jvirtd.api.VirtException(org.jvirtd.api.ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                "Can only open VNC or SPICE graphics backends, not " + type);
        }
        QemuRun run = run(domain);
        int[] pair;
        try {
            pair = org.jvirtd.platform.net.SocketDescriptors.socketPair();
        } catch (java.io.IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "Failed to create socket pair", e);
        }
        try {
            run.qmp().getfd("graphicsfd", pair[1]);
            try {
                run.qmp().addClient(type, "graphicsfd", skipAuth);
            } catch (RuntimeException e) {
                run.qmp().closefd("graphicsfd");
                throw e;
            }
        } catch (RuntimeException e) {
            org.jvirtd.platform.net.SocketDescriptors.close(pair[0]);
            throw e;
        } finally {
            org.jvirtd.platform.net.SocketDescriptors.close(pair[1]);
        }
        return pair[0];
    }

    @Override
    public Screenshot screenshot(DomainHandle domain, int screen) {
        QemuRun run = run(domain);
        List<GuestDef.Video> videos = GuestXml.parse(domain.xml(), domain.id()).devices().videos().stream()
            .filter(v -> !"none".equals(v.model())).toList();
        if (videos.isEmpty()) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "no screens to take screenshot from");
        }
        int device = 0;
        int head = screen;
        while (device < videos.size() && head >= heads(videos.get(device))) {
            head -= heads(videos.get(device));
            device++;
        }
        if (device == videos.size()) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "no such screen ID");
        }
        Path file = Path.of(domain.runtime().getOrDefault(QemuLauncher.PRIVATE_DIR, domain.runDir().toString()))
            .resolve("screenshot-" + System.nanoTime() + ".png");
        Props args = Props.of("filename", file.toString()).put("format", "png");
        if (device > 0 || head > 0) {
            args.put("device", "video" + device).put("head", head);
        }
        try {
            run.qmp().execute("screendump", args, java.time.Duration.ofSeconds(30));
            return new Screenshot("image/png", java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "unable to read the screenshot " + file, e);
        } finally {
            file.toFile().delete();
        }
    }

    private static int heads(GuestDef.Video video) {
        return video.heads() == null ? 1 : video.heads();
    }

    @Override
    public List<VcpuInfo> vcpuInfo(DomainHandle domain) {
        return stats(domain).vcpus();
    }

    @Override
    public BlockInfo blockInfo(DomainHandle domain, boolean active, String disk) {
        if (active) {
            return stats(domain).blockInfo(disk);
        }
        GuestDef.Disk d = QemuStats.disk(GuestXml.parse(domain.xml(), -1), disk);
        if (d.source() == null || !"file".equals(d.type()) && !"block".equals(d.type())) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "disk '" + disk + "' has no local source");
        }
        return DiskFiles.info(Path.of(d.source()), d.format());
    }

    @Override
    public List<DomainInterface> interfaceAddresses(DomainHandle domain, int source) {
        QemuRun run = run(domain);
        if (source == DomainInterface.SOURCE_AGENT) {
            Object answer = GuestAgentChannel.open(run, GuestXml.parse(domain.xml(), domain.id()))
                .execute("guest-network-get-interfaces", null, GuestAgentChannel.timeout(-1));
            return agentInterfaces(answer);
        }
        return InterfaceAddresses.find(GuestXml.parse(domain.xml(), domain.id()), source, network.networks(),
            run.pid());
    }

    /** guest-network-get-interfaces as virDomainInterfaceAddresses lists it: every interface, lo included. */
    @SuppressWarnings("unchecked")
    private static List<DomainInterface> agentInterfaces(Object answer) {
        List<DomainInterface> result = new java.util.ArrayList<>();
        for (Object entry : (List<Object>) answer) {
            Map<String, Object> iface = (Map<String, Object>) entry;
            List<DomainInterface.Address> addresses = new java.util.ArrayList<>();
            Object ips = iface.get("ip-addresses");
            for (Object ip : ips instanceof List<?> l ? l : List.of()) {
                Map<String, Object> address = (Map<String, Object>) ip;
                int type = "ipv6".equals(address.get("ip-address-type")) ? 1 : 0;
                addresses.add(new DomainInterface.Address(type, String.valueOf(address.get("ip-address")),
                    address.get("prefix") instanceof Number n ? n.intValue() : 0));
            }
            Object hwaddr = iface.get("hardware-address");
            result.add(new DomainInterface(String.valueOf(iface.get("name")), hwaddr == null ? null
                : hwaddr.toString(), addresses));
        }
        return result;
    }

    @Override
    public org.jvirtd.api.driver.BackupOperations backupOperations() {
        return new QemuBackupOperations(domain -> {
            QemuRun run = runs.get(domain.uuid());
            return run == null || run.handle().id() != domain.id() || domain.id() < 0 ? null : run;
        });
    }

    @Override
    public org.jvirtd.api.driver.BlockOperations blockOperations() {
        return new QemuBlockOperations(this::run);
    }

    private QemuStats stats(DomainHandle domain) {
        QemuRun run = run(domain);
        return new QemuStats(run.qmp(), run.pid(), GuestXml.parse(domain.xml(), domain.id()));
    }
}
