package org.jvirtd.rpc.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonLogging;
import org.jvirtd.core.config.DaemonTimeout;
import org.jvirtd.core.listen.HeldSockets;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.access.AccessControl;
import org.jvirtd.rpc.access.AccessDrivers;
import org.jvirtd.rpc.admin.AdminProgram;
import org.jvirtd.rpc.admin.AdminSettings;
import org.jvirtd.rpc.dispatch.AwaitedService;
import org.jvirtd.rpc.dispatch.CurrentSecrets;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The daemon's two RPC servers: "libvirtd" (the remote protocol on libvirt-sock, libvirt-sock-ro and,
 * with --listen, TLS and TCP) and "admin" (libvirt-admin-sock). A socket that cannot be served stops
 * the daemon, as libvirtd exits when its sockets fail. The listening sockets are core's {@link HeldSockets}
 * between two activations, so clients that connect while the rpc bundle is updated wait instead of being refused.
 */
@Component(service = {}, immediate = true)
public final class RpcComponent {
    private static final System.Logger LOG = System.getLogger(RpcComponent.class.getName());

    /** Servers and subscriptions, closed in reverse order. */
    private final List<AutoCloseable> running = new ArrayList<>();

    /** The network and storage drivers, waited for while their bundles are updated (see AwaitedService). */
    private final AwaitedService<Networks> networks;
    private final AwaitedService<StoragePools> pools;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDevices nodeDevices;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile HostInterfaces interfaces;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile NwFilters nwFilters;

    /** The secret driver, followed across updates of its bundle (see bindSecrets). */
    private final CurrentSecrets secrets = new CurrentSecrets();

    @Activate
    public RpcComponent(@Reference Hypervisors hypervisors, @Reference DaemonConfig config,
                        @Reference DaemonLogging logging, @Reference DaemonTimeout timeout,
                        @Reference HeldSockets held, BundleContext context) {
        networks = new AwaitedService<>(config::graceMillis);
        pools = new AwaitedService<>(config::graceMillis);
        ProcedureTable table = RemoteProgram.table(hypervisors, networks, pools, secrets, () -> nodeDevices,
            () -> interfaces, () -> nwFilters);
        try {
            Dispatcher dispatcher = new Dispatcher(table, new AccessControl(AccessDrivers.from(config.settings()),
                table));
            start(dispatcher, config, logging, timeout, held);
        } catch (IOException | RuntimeException e) {
            deactivate();
            DaemonExit.fail(context, "Unable to initialize network sockets: " + e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindSecrets(Secrets service) {
        secrets.switchTo(service);
    }

    void unbindSecrets(Secrets service) {
        if (secrets.get() == service) {
            secrets.switchTo(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindNetworks(Networks service) {
        networks.bind(service);
    }

    void unbindNetworks(Networks service) {
        networks.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindPools(StoragePools service) {
        pools.bind(service);
    }

    void unbindPools(StoragePools service) {
        pools.unbind(service);
    }

    private void start(Dispatcher dispatcher, DaemonConfig config, DaemonLogging logging, DaemonTimeout timeout,
                       HeldSockets held) throws IOException {
        ConfFile conf = config.settings();
        List<Listener> listeners = ListenerConfig.listeners(conf, config.paths(), config.listen(),
            System.getProperty("user.home"));
        RpcServer main = new RpcServer(Program.remote(dispatcher), ServerSettings.from(conf), listeners, held);
        running.add(main);
        TlsContext tls = listeners.stream().map(Listener::tls).filter(Objects::nonNull).findFirst().orElse(null);
        if (tls != null) {
            running.add(config.onReload(() -> {
                tls.configure(config.settings());
                LOG.log(System.Logger.Level.INFO, "tls_allowed_dn_list reloaded; connected clients stay");
            }));
        }
        Map<String, RpcServer> servers = Collections.synchronizedMap(new LinkedHashMap<>());
        servers.put("libvirtd", main);
        Listener adminSocket = ListenerConfig.admin(conf, config.paths());
        RpcServer admin = new RpcServer(new AdminProgram(servers, logging, timeout, tls), AdminSettings.from(conf),
            List.of(adminSocket), held);
        servers.put("admin", admin);
        running.add(admin);
        LOG.log(System.Logger.Level.INFO, "libvirt RPC listening on {0}, admin on {1}", listeners.stream()
            .map(l -> l.address().toString()).toList(), adminSocket.address());
    }

    @Deactivate
    void deactivate() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping the RPC servers", e);
            }
        }
        running.clear();
    }
}
