package org.jvirtd.rpc.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;

/**
 * A socket the server listens on.
 *
 * @param readOnly clients of this socket get read-only connections (libvirt-sock-ro)
 * @param permissions the unix socket's mode, null for TCP
 * @param group the unix socket's group, null to keep the daemon's
 */
public record Listener(SocketAddress address, boolean readOnly, Set<PosixFilePermission> permissions, String group) {

    public static Listener unix(Path path, boolean readOnly, Set<PosixFilePermission> permissions, String group) {
        return new Listener(UnixDomainSocketAddress.of(path), readOnly, permissions, group);
    }

    public static Listener tcp(InetSocketAddress address) {
        return new Listener(address, false, null, null);
    }

    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    public Path path() {
        return ((UnixDomainSocketAddress) address).getPath();
    }
}
