package org.jvirtd.rpc.testing;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.driver.test.TestDriver;
import org.jvirtd.net.core.ForwardModes;
import org.jvirtd.net.core.NetworkDriver;
import org.jvirtd.iface.HostInterfaceDriver;
import org.jvirtd.nodedev.NodeDeviceDriver;
import org.jvirtd.rpc.access.AccessControl;
import org.jvirtd.rpc.access.AccessDriver;
import org.jvirtd.rpc.dispatch.CurrentSecrets;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.server.Listener;
import org.jvirtd.rpc.server.RpcServer;
import org.jvirtd.rpc.server.ServerSettings;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.net.nwfilter.NwFilterDriver;
import org.jvirtd.secret.SecretDriver;
import org.jvirtd.storage.core.internal.BackendRegistry;
import org.jvirtd.storage.core.internal.CoreStoragePools;
import org.jvirtd.storage.dir.DirPoolBackend;
import org.jvirtd.storage.disk.DiskPoolBackend;
import org.jvirtd.storage.fs.FsPoolBackend;
import org.jvirtd.storage.logical.LogicalPoolBackend;
import org.jvirtd.storage.netfs.NetfsPoolBackend;

/**
 * The real core (config, event hub, driver registry, connections) with the real test driver, the real
 * network driver (no forward modes: networks can be defined, not started), the real storage driver with
 * the dir backend and the RPC server on
 * sockets in a temporary directory, wired by hand the way SCR wires them in the daemon.
 */
public final class InProcessDaemon implements AutoCloseable {
    private final Path root;
    private final Object eventHub;
    private final Object registry;
    private final Hypervisors hypervisors;
    private final RpcServer server;
    private final NetworkDriver networks;
    /** The network driver's forward modes: none, unless a test binds some (inside its own namespace). */
    private final ForwardModes forwardModes;
    private final CoreStoragePools pools;
    private final SubscriptionCount subscriptions = new SubscriptionCount();
    private final DaemonConfig config;
    private final CurrentSecrets secrets = new CurrentSecrets();
    /** The host's node devices, read from the real /sys; null after {@link #removeNodeDeviceDriver()}. */
    private volatile NodeDevices nodeDevices = new NodeDeviceDriver();
    /** The host's interfaces, read from the real /sys (read-only, as libvirt's udev backend). */
    private final HostInterfaces interfaces = new HostInterfaceDriver();
    /** The network filter driver; its rules go into jvirtd.conf's network_namespace (tests that bind set one). */
    private final NwFilters nwFilters;

    public InProcessDaemon(ServerSettings settings) throws Exception {
        this(settings, Files.createTempDirectory("jvirtd-rpc-test"));
    }

    /** A daemon over the state another one left in {@code root} (a restart). */
    public InProcessDaemon(ServerSettings settings, Path root) throws Exception {
        this(settings, root, List.of());
    }

    /** A daemon whose calls the access drivers check (access_drivers; empty: "nop"). */
    public InProcessDaemon(ServerSettings settings, List<AccessDriver> access) throws Exception {
        this(settings, Files.createTempDirectory("jvirtd-rpc-test"), access);
    }

    private InProcessDaemon(ServerSettings settings, Path root, List<AccessDriver> access) throws Exception {
        this.root = root;
        Class<?> configClass = Class.forName("org.jvirtd.core.internal.DaemonConfigService");
        Constructor<?> configConstructor = configClass.getDeclaredConstructor(String.class, String.class,
            boolean.class, boolean.class, Map.class, String.class);
        configConstructor.setAccessible(true);
        config = (DaemonConfig) configConstructor.newInstance(root.toString(),
            root.resolve("jvirtd.conf").toString(), false, true, Map.of(), root.toString());
        Class<?> hubClass = Class.forName("org.jvirtd.core.internal.EventHub");
        eventHub = hubClass.getConstructor().newInstance();
        Class<?> registryClass = Class.forName("org.jvirtd.core.internal.DriverRegistry");
        registry = registryClass.getConstructor(DaemonConfig.class, hubClass).newInstance(config, eventHub);
        Method bind = registryClass.getDeclaredMethod("bindDriver", HypervisorDriver.class);
        bind.setAccessible(true);
        bind.invoke(registry, new TestDriver());
        Class<?> hypervisorsClass = Class.forName("org.jvirtd.core.internal.CoreHypervisors");
        hypervisors = (Hypervisors) hypervisorsClass.getConstructor(registryClass, hubClass)
            .newInstance(registry, eventHub);
        forwardModes = new ForwardModes(1000);
        networks = new NetworkDriver(config, forwardModes);
        BackendRegistry backends = new BackendRegistry(config);
        pools = new CoreStoragePools(config, backends);
        backends.bindBackend(new DirPoolBackend());
        // the others too, so pools of every type can be defined (starting them needs devices and servers)
        backends.bindBackend(new FsPoolBackend());
        backends.bindBackend(new NetfsPoolBackend());
        backends.bindBackend(new LogicalPoolBackend());
        backends.bindBackend(new DiskPoolBackend());
        Hypervisors watchedHypervisors = subscriptions.watch(Hypervisors.class, hypervisors);
        Networks watchedNetworks = subscriptions.watch(Networks.class, networks);
        StoragePools watchedPools = subscriptions.watch(StoragePools.class, pools);
        secrets.switchTo(new SecretDriver(config));
        nwFilters = new NwFilterDriver(config);
        ProcedureTable table = RemoteProgram.table(watchedHypervisors, () -> watchedNetworks, () -> watchedPools,
            secrets, () -> nodeDevices, () -> interfaces, () -> nwFilters);
        server = new RpcServer(new Dispatcher(table, new AccessControl(access, table)), settings,
            List.of(Listener.unix(socket(), false, null, null), Listener.unix(readOnlySocket(), true, null, null)));
    }

    public Path socket() {
        return root.resolve("run/libvirt/libvirt-sock");
    }

    public Path readOnlySocket() {
        return root.resolve("run/libvirt/libvirt-sock-ro");
    }

    /** The URI the real virsh and libvirt-python use to reach this daemon through the remote driver. */
    public String uri() {
        return "test+unix:///default?socket=" + socket();
    }

    public String readOnlyUri() {
        return "test+unix:///default?socket=" + readOnlySocket();
    }

    public RpcServer server() {
        return server;
    }

    /** The temporary directory everything of this daemon lives in. */
    public Path root() {
        return root;
    }

    /**
     * The forward modes the network driver starts networks with. A test that binds one must first set
     * {@code network_namespace} in the daemon's jvirtd.conf to a namespace it created.
     */
    public ForwardModes forwardModes() {
        return forwardModes;
    }

    public Hypervisors hypervisors() {
        return hypervisors;
    }

    /**
     * Event subscriptions the server has made for its clients so far (domain, network and pool events):
     * a client's event callback is registered once this count has grown past the one before it started.
     */
    public int eventSubscriptionsMade() {
        return subscriptions.made();
    }

    /**
     * Replaces the secret driver by a new instance over the same folder, as an update of the secret bundle
     * does while clients stay connected.
     */
    public void swapSecretDriver() {
        SecretDriver old = (SecretDriver) secrets.get();
        secrets.switchTo(null);
        old.deactivate();
        secrets.switchTo(new SecretDriver(config));
    }

    /** Serves this node device driver instead (one over a sysfs tree of a test's own). */
    public void useNodeDeviceDriver(NodeDevices devices) {
        nodeDevices = devices;
    }

    /** Takes the node device driver away, as stopping the nodedev bundle does. */
    public void removeNodeDeviceDriver() {
        nodeDevices = null;
    }

    /** Stops the server and drivers but keeps the folder, for a daemon started again over it. */
    public void stopKeepingState() throws Exception {
        server.close();
        networks.deactivate();
        ((SecretDriver) secrets.get()).deactivate();
        invokeQuietly(registry, "deactivate");
        invokeQuietly(eventHub, "deactivate");
    }

    @Override
    public void close() throws Exception {
        stopKeepingState();
        deleteTree(root);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a leftover in the temp directory does not affect the result
                }
            });
        }
    }

    private static void invokeQuietly(Object target, String method) throws Exception {
        Method m = target.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        m.invoke(target);
    }
}
