package org.jvirtd.console;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * Who may use the operator shell: the daemon's own user and root, told by the peer's credentials
 * (SO_PEERCRED, from the JDK's jdk.net module, reached reflectively so the bundle imports nothing the
 * framework may not export). This holds even when the socket's mode was loosened.
 */
final class OperatorPeer {
    private static final System.Logger LOG = System.getLogger(OperatorPeer.class.getName());
    private static final SocketOption<?> PEERCRED = peerCredOption();

    private OperatorPeer() {
    }

    /** Why the peer is refused, or null when it may use the shell (or the platform cannot tell). */
    static String refusal(SocketChannel channel) {
        if (PEERCRED == null) {
            return null;
        }
        String peer;
        String daemon;
        try {
            Object principal = channel.getOption(PEERCRED);
            peer = ((UserPrincipal) principal.getClass().getMethod("user").invoke(principal)).getName();
            daemon = Files.getOwner(Path.of("/proc/self")).getName();
        } catch (ReflectiveOperationException | IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "operator shell: no peer credentials", e);
            return null;
        }
        if (peer.equals(daemon) || peer.equals("root")) {
            return null;
        }
        return "user " + peer + " may not use the operator shell of a daemon run by " + daemon;
    }

    private static SocketOption<?> peerCredOption() {
        try {
            Class<?> options = Class.forName("jdk.net.ExtendedSocketOptions", true,
                ClassLoader.getPlatformClassLoader());
            return (SocketOption<?>) options.getField("SO_PEERCRED").get(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
