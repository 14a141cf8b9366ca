package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.driver.lxc.internal.controller.ControllerConfig;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainEditor;
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
 * The LXC hypervisor driver (lxc:///system): runs each container under a controller process of its own
 * ({@link org.jvirtd.driver.lxc.internal.controller.ControllerMain}) that outlives the daemon, and takes the
 * containers over again after a daemon restart or a driver update through the controllers' sockets.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=lxc")
public final class LxcDriver implements HypervisorDriver {
    private final Map<UUID, ContainerRun> runs = new ConcurrentHashMap<>();
    private final ContainerNetwork network;

    /** Reads jvirtd.conf's {@code network_namespace} (where veths' host ends and bridges live), as QEMU's driver. */
    @Activate
    public LxcDriver(BundleContext context) {
        this(networkNamespace(context.getProperty("jvirtd.root"), context.getProperty("jvirtd.config")));
    }

    /** A driver whose containers' host ends stay in the daemon's network namespace. */
    public LxcDriver() {
        this("");
    }

    LxcDriver(String netns) {
        this.network = new ContainerNetwork(netns);
    }

    /** jvirtd.conf's network_namespace: the file the launcher names, else the system one (under the root prefix). */
    static String networkNamespace(String root, String daemonConfig) {
        Path conf = daemonConfig != null && !daemonConfig.isEmpty() ? Path.of(daemonConfig)
            : root != null && !root.isEmpty() ? Path.of(root).toAbsolutePath().resolve("etc/jvirtd/jvirtd.conf")
            : Path.of("/etc/jvirtd/jvirtd.conf");
        return ConfFile.read(conf).string("network_namespace", "");
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

    /** Lets go of the controllers; the containers keep running for the next driver instance. */
    @Deactivate
    void deactivate() {
        runs.values().forEach(ContainerRun::release);
        runs.clear();
    }

    @Override
    public String name() {
        return "lxc";
    }

    @Override
    public String type() {
        return "LXC";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.LXC;
    }

    /** libvirt's LXC driver answers lxc:///system and the bare lxc:///. */
    @Override
    public boolean accepts(URI uri) {
        String path = uri.getPath();
        return "lxc".equals(uri.getScheme()) && ("/system".equals(path) || "/".equals(path) || "".equals(path));
    }

    /** Like libvirt's, the running kernel's version. */
    @Override
    public long hypervisorVersion() {
        return LxcCapabilities.kernelVersion(System.getProperty("os.version"));
    }

    @Override
    public String capabilities() {
        return LxcCapabilities.xml(System.getProperty("os.arch"));
    }

    /**
     * jvirtd labels nothing (no SELinux or AppArmor): libvirt calls that security driver "none", DOI "0", and
     * {@code virsh lxc-enter-namespace} enters it by doing nothing.
     */
    @Override
    public Connection.SecurityModel securityModel() {
        return new Connection.SecurityModel("none", "0");
    }

    @Override
    public int maxVcpus(String type) {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A definition must be an LXC domain of os type exe (libvirt's message otherwise); the model's
     * post-parse rules (filesystem access mode, RAM units) hold for LXC as they are.
     */
    @Override
    public String validateDefinition(String xml) {
        DomainDef def = DomainXml.parse(xml, DomainXml.INACTIVE | DomainXml.NEW_DEFINITION);
        if (!"lxc".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LXC,
                "could not find capabilities for domaintype=" + def.type());
        }
        if (!"exe".equals(def.osType())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LXC,
                "could not find capabilities for os type '" + def.osType() + "'");
        }
        return withConsoleTargets(DomainXml.format(def, -1, DomainXml.INACTIVE)); // in libvirt's order
    }

    /** libvirt's LXC post-parse: a console without a target type gets {@code <target type='lxc' port='N'/>}. */
    static String withConsoleTargets(String xml) {
        DomainEditor doc = DomainEditor.of(xml);
        for (int i = 0; i < doc.count("console"); i++) {
            if (doc.attr("console", i, "target", "type") == null) {
                String port = doc.attr("console", i, "target", "port");
                Map<String, String> target = new java.util.LinkedHashMap<>();
                target.put("type", "lxc");
                target.put("port", port != null ? port : Integer.toString(i));
                doc.setFirstChild("console", i, "target", target);
            }
        }
        return doc.format(-1, DomainXml.INACTIVE); // parsed once, in libvirt's order
    }

    @Override
    public void start(DomainHandle domain, boolean paused) {
        ContainerDef def = ContainerDef.parse(domain.xml());
        ContainerDef.Mount root = def.rootMount();
        if (root == null || root.source() == null || !Files.isDirectory(Path.of(root.source()))) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LXC, root == null
                ? "jvirtd's LXC driver needs a <filesystem type='mount'> with target '/' (the host's root is not shared)"
                : "root directory " + root.source() + " does not exist");
        }
        if (def.init() == null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LXC, "no init program in <os><init>");
        }
        ContainerCgroups cgroups = ContainerCgroups.forContainer(domain.name());
        List<ControllerConfig.BindMount> mounts = new ArrayList<>();
        for (ContainerDef.Mount m : def.mounts()) {
            if (m != root) {
                mounts.add(new ControllerConfig.BindMount(m.source(), m.target(), m.readOnly(), m.ramKiB()));
            }
        }
        ControllerConfig config = new ControllerConfig(domain.name(), domain.uuid().toString(), root.source(),
            List.copyOf(mounts), def.init(), def.initArgs(),
            def.initEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), def.initDir(),
            cgroups.paths(), def.limitKiB() * 1024, network.veths(def), network.netns(),
            domain.runDir().resolve(domain.name() + ".sock").toString());
        ContainerRun run = ControllerLauncher.launch(domain, config, cgroups, List.of());
        domain.setLiveXml(ContainerLiveXml.of(domain.xml(), domain.id(),
            domain.runtime().get(ContainerRun.CONSOLE), config.veths()));
        track(run);
        if (paused) {
            suspend(domain);
        }
    }

    private void track(ContainerRun run) {
        UUID uuid = run.handle().uuid();
        int id = run.handle().id();
        runs.put(uuid, run);
        run.follow(() -> runs.computeIfPresent(uuid, (k, r) -> r.handle().id() == id ? null : r));
    }

    private ContainerRun run(DomainHandle domain) {
        ContainerRun run = runs.get(domain.uuid());
        if (run == null || run.handle().id() != domain.id()) {
            throw VirtErrors.operationInvalid(ErrorDomain.LXC, "domain is not running");
        }
        return run;
    }

    /** libvirt's signal mode: SIGTERM to init (no initctl here); the container ends when its init does. */
    @Override
    public void shutdown(DomainHandle domain) {
        run(domain).command("shutdown");
    }

    /** SIGTERM to init, and the controller starts the container again in new namespaces once init ended. */
    @Override
    public void reboot(DomainHandle domain) {
        run(domain).command("reboot");
    }

    @Override
    public void destroy(DomainHandle domain) {
        ContainerRun run = runs.get(domain.uuid());
        if (run == null) {
            long pid = Long.parseLong(domain.runtime().getOrDefault(ContainerRun.CONTROLLER_PID, "0"));
            long init = Long.parseLong(domain.runtime().getOrDefault(ContainerRun.INIT_PID, "0"));
            Path config = domain.runDir().resolve(domain.name() + ".ctl");
            if (pid > 0 && ControllerLauncher.isController(pid, config) && init > 0) {
                ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
                ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            }
            return;
        }
        run.destroy();
        runs.remove(domain.uuid(), run);
    }

    @Override
    public void suspend(DomainHandle domain) {
        freeze(run(domain), true);
    }

    @Override
    public void resume(DomainHandle domain) {
        freeze(run(domain), false);
    }

    private static void freeze(ContainerRun run, boolean frozen) {
        try {
            run.cgroups().freeze(frozen);
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, (frozen ? "Suspend" : "Resume")
                + " operation failed: " + e.getMessage());
        }
    }

    /** Reconnects to the controller a former driver instance started, if it still runs. */
    @Override
    public boolean reattach(DomainHandle domain) {
        Map<String, String> facts = domain.runtime();
        long pid = Long.parseLong(facts.getOrDefault(ContainerRun.CONTROLLER_PID, "0"));
        Path socket = Path.of(facts.getOrDefault(ContainerRun.SOCKET, "/nonexistent"));
        if (pid <= 0 || !ControllerLauncher.isController(pid, domain.runDir().resolve(domain.name() + ".ctl"))
            || !Files.exists(socket)) {
            return false;
        }
        try {
            ControllerLink link = ControllerLink.connect(socket);
            link.running().get(10, java.util.concurrent.TimeUnit.SECONDS);
            track(new ContainerRun(domain, pid, link, ContainerCgroups.parse(facts.getOrDefault(
                ContainerRun.CGROUPS, ""))));
            return true;
        } catch (Exception e) {
            System.getLogger(LxcDriver.class.getName()).log(System.Logger.Level.WARNING,
                "cannot reattach container " + domain.name() + ": " + e);
            return false;
        }
    }

    /** The runtime facts of a running container as this driver recorded them (for tests); empty when none. */
    Map<String, String> runtimeOf(UUID uuid) {
        ContainerRun run = runs.get(uuid);
        return run == null ? Map.of() : run.handle().runtime();
    }

    @Override
    public long cpuTimeNanos(DomainHandle domain) {
        ContainerRun run = runs.get(domain.uuid());
        return run == null ? 0 : run.cgroups().cpuTimeNanos();
    }

    /** The namespaces of the container's init as libvirt lists them: user, ipc, uts, net, pid, mnt. */
    @Override
    public List<Path> namespaceFiles(DomainHandle domain) {
        run(domain);
        Path ns = Path.of("/proc", domain.runtime().getOrDefault(ContainerRun.INIT_PID, "0"), "ns");
        List<Path> files = new ArrayList<>();
        for (String type : List.of("user", "ipc", "uts", "net", "pid", "mnt")) {
            if (Files.exists(ns.resolve(type))) {
                files.add(ns.resolve(type));
            }
        }
        if (files.isEmpty()) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "cannot find the namespaces of the container's init");
        }
        return files;
    }

    /**
     * virDomainMemoryStats as libvirt's LXC driver answers it: the current memory of the definition, swap in
     * use where the host accounts it, and what the container's memory cgroup holds, in KiB.
     */
    @Override
    public List<MemoryStat> memoryStats(DomainHandle domain) {
        ContainerCgroups cgroups = run(domain).cgroups();
        List<MemoryStat> stats = new ArrayList<>();
        stats.add(new MemoryStat(MemoryStat.ACTUAL_BALLOON, DomainXml.parse(domain.xml()).currentMemoryKiB()));
        long swap = cgroups.memorySwapUsedKiB();
        long used = cgroups.memoryUsedKiB();
        if (swap >= 0) {
            stats.add(new MemoryStat(MemoryStat.SWAP_IN, Math.max(0, swap - used)));
        }
        stats.add(new MemoryStat(MemoryStat.RSS, used));
        return stats;
    }

    /** The host pty the controller relays the container's /dev/console to. */
    @Override
    public Path consolePath(DomainHandle domain, String devName) {
        run(domain);
        String console = domain.runtime().get(ContainerRun.CONSOLE);
        if (console == null) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "cannot find console device");
        }
        return Path.of(console);
    }
}
