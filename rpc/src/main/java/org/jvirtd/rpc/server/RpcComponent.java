package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The libvirt remote protocol on the daemon's sockets: libvirt-sock and libvirt-sock-ro always, TCP
 * when the daemon runs with --listen and jvirtd.conf says listen_tcp = 1 with auth_tcp = "none".
 */
@Component(service = {}, immediate = true)
public final class RpcComponent {
    private static final System.Logger LOG = System.getLogger(RpcComponent.class.getName());

    private final RpcServer server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    private volatile Networks networks;

    @Activate
    public RpcComponent(@Reference Hypervisors hypervisors, @Reference DaemonConfig config) throws IOException {
        ConfFile conf = config.settings();
        Dispatcher dispatcher = new Dispatcher(RemoteProgram.table(hypervisors, () -> networks));
        List<Listener> listeners = listeners(conf, config.paths(), config.listen());
        this.server = new RpcServer(dispatcher, ServerSettings.from(conf), listeners);
        LOG.log(System.Logger.Level.INFO, "libvirt RPC listening on {0}", listeners.stream()
            .map(l -> l.address().toString()).toList());
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    static List<Listener> listeners(ConfFile conf, DaemonPaths paths, boolean listen) {
        warnUnlessNone(conf, "auth_unix_rw");
        warnUnlessNone(conf, "auth_unix_ro");
        String group = conf.string("unix_sock_group", null);
        List<Listener> listeners = new ArrayList<>();
        listeners.add(Listener.unix(paths.readWriteSocket(), false,
            mode(conf.string("unix_sock_rw_perms", "0700")), group));
        listeners.add(Listener.unix(paths.readOnlySocket(), true,
            mode(conf.string("unix_sock_ro_perms", "0777")), group));
        if (listen && conf.bool("listen_tcp", false)) {
            String auth = conf.string("auth_tcp", "sasl");
            if ("none".equals(auth)) {
                String address = conf.string("listen_addr", "0.0.0.0");
                int port = Integer.parseInt(conf.string("tcp_port", "16509"));
                listeners.add(Listener.tcp(new InetSocketAddress(address, port)));
            } else {
                LOG.log(System.Logger.Level.ERROR, "listen_tcp is set but auth_tcp = \"{0}\" is not supported; "
                    + "set auth_tcp = \"none\" to serve TCP without authentication", auth);
            }
        }
        if (listen && conf.bool("listen_tls", true)) {
            LOG.log(System.Logger.Level.WARNING, "TLS listener not available yet; set listen_tls = 0 to silence this");
        }
        return listeners;
    }

    private static void warnUnlessNone(ConfFile conf, String key) {
        String auth = conf.string(key, "none");
        if (!"none".equals(auth)) {
            LOG.log(System.Logger.Level.WARNING, "{0} = \"{1}\" is not supported; the unix socket permissions "
                + "are the only access control", key, auth);
        }
    }

    /** An octal mode string such as "0770" as permissions. */
    static Set<PosixFilePermission> mode(String octal) {
        int bits = Integer.parseInt(octal, 8);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(order[i]);
            }
        }
        return permissions;
    }
}
