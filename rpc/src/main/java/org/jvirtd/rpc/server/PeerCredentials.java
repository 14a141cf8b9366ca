package org.jvirtd.rpc.server;

import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;

/**
 * The user and group of the process at the other end of a unix socket, from SO_PEERCRED as the JDK's
 * jdk.net module offers it (reached reflectively so the bundle needs no import the framework may lack).
 */
final class PeerCredentials {
    private static final System.Logger LOG = System.getLogger(PeerCredentials.class.getName());
    private static final SocketOption<?> PEERCRED = peerCredOption();

    record Peer(String user, String group) {
    }

    private PeerCredentials() {
    }

    /** The peer of a connected unix socket, or null when the platform cannot tell. */
    static Peer of(SocketChannel channel) {
        if (PEERCRED == null) {
            return null;
        }
        try {
            Object principal = channel.getOption(PEERCRED);
            Class<?> type = principal.getClass();
            UserPrincipal user = (UserPrincipal) type.getMethod("user").invoke(principal);
            GroupPrincipal group = (GroupPrincipal) type.getMethod("group").invoke(principal);
            return new Peer(user.getName(), group.getName());
        } catch (ReflectiveOperationException | java.io.IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "no peer credentials", e);
            return null;
        }
    }

    private static SocketOption<?> peerCredOption() {
        try {
            Class<?> options = Class.forName("jdk.net.ExtendedSocketOptions", true,
                ClassLoader.getPlatformClassLoader());
            return (SocketOption<?>) options.getField("SO_PEERCRED").get(null);
        } catch (ReflectiveOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "SO_PEERCRED not available", e);
            return null;
        }
    }
}
