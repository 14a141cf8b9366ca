package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.auth.AuthMethod;
import org.jvirtd.rpc.auth.AuthSettings;
import org.jvirtd.rpc.auth.ListenerAuth;

/**
 * The sockets of the libvirtd server from jvirtd.conf: libvirt-sock and libvirt-sock-ro always; with
 * --listen, TLS on tls_port (listen_tls, on by default) and TCP on tcp_port (listen_tcp), both on
 * listen_addr. Each asks its clients for the authentication its auth_* key names (libvirt's defaults:
 * "sasl" on TCP, "none" elsewhere in jvirtd, which does not assume a polkit agent the way a polkit build of
 * libvirtd does).
 */
public final class ListenerConfig {
    private ListenerConfig() {
    }

    /**
     * @param home the user's home, where a session daemon finds its x509 files
     * @throws IOException when the TLS files cannot be read
     * @throws IllegalStateException when a listener names an unknown authentication
     */
    public static List<Listener> listeners(ConfFile conf, DaemonPaths paths, boolean listen, String home)
        throws IOException {
        AuthSettings settings = AuthSettings.from(conf);
        List<Listener> listeners = new ArrayList<>();
        listeners.add(SocketAccess.readWrite(conf, paths).withAuth(auth(conf, "auth_unix_rw", "none", settings)));
        listeners.add(SocketAccess.readOnly(conf, paths).withAuth(auth(conf, "auth_unix_ro", "none", settings)));
        if (!listen) {
            return listeners;
        }
        String address = conf.string("listen_addr", "0.0.0.0");
        if (conf.bool("listen_tls", true)) {
            ListenerAuth auth = auth(conf, "auth_tls", "none", settings);
            TlsContext tls = TlsContext.load(TlsFiles.resolve(conf, paths, home), conf);
            listeners.add(Listener.tls(new InetSocketAddress(address, port(conf, "tls_port", "16514")), tls)
                .withAuth(auth));
        }
        if (conf.bool("listen_tcp", false)) {
            ListenerAuth auth = auth(conf, "auth_tcp", "sasl", settings);
            listeners.add(Listener.tcp(new InetSocketAddress(address, port(conf, "tcp_port", "16509"))).withAuth(auth));
        }
        return listeners;
    }

    private static ListenerAuth auth(ConfFile conf, String key, String libvirtDefault, AuthSettings settings) {
        return new ListenerAuth(AuthMethod.of(conf, key, libvirtDefault), settings);
    }

    /** The admin server's one socket, libvirt-admin-sock. */
    public static Listener admin(ConfFile conf, DaemonPaths paths) {
        return SocketAccess.admin(conf, paths);
    }

    private static int port(ConfFile conf, String key, String fallback) {
        String value = conf.string(key, fallback);
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(conf.name() + ": " + key + " must be a port number, got '" + value + "'");
    }
}
