package org.jvirtd.rpc.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;

import org.jvirtd.rpc.auth.ListenerAuth;

/**
 * A socket the server listens on.
 *
 * @param readOnly clients of this socket get read-only connections (libvirt-sock-ro)
 * @param permissions the unix socket's mode, null for TCP
 * @param group the unix socket's group, null to keep the daemon's
 * @param tls the TLS identity and client policy of a TLS listener, null for the others
 * @param auth what its clients must do before any other call (auth_unix_rw, auth_tcp, ...)
 */
public record Listener(SocketAddress address, boolean readOnly, Set<PosixFilePermission> permissions, String group,
                       TlsContext tls, ListenerAuth auth) {

    public Listener(SocketAddress address, boolean readOnly, Set<PosixFilePermission> permissions, String group,
                    TlsContext tls) {
        this(address, readOnly, permissions, group, tls, ListenerAuth.NONE);
    }

    /** The same socket, its clients authenticating with {@code method}. */
    public Listener withAuth(ListenerAuth method) {
        return new Listener(address, readOnly, permissions, group, tls, method);
    }

    public static Listener unix(Path path, boolean readOnly, Set<PosixFilePermission> permissions, String group) {
        return new Listener(UnixDomainSocketAddress.of(path), readOnly, permissions, group, null);
    }

    public static Listener tcp(InetSocketAddress address) {
        return new Listener(address, false, null, null, null);
    }

    public static Listener tls(InetSocketAddress address, TlsContext tls) {
        return new Listener(address, false, null, null, tls);
    }

    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    public Path path() {
        return ((UnixDomainSocketAddress) address).getPath();
    }

    /** libvirt's transport number for this socket's clients: {@link Transport#UNIX}, TCP or TLS. */
    public int transport() {
        return isUnix() ? Transport.UNIX : tls != null ? Transport.TLS : Transport.TCP;
    }
}
