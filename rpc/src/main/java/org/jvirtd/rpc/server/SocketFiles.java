package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes a unix socket path free for this daemon, refusing when another daemon still answers on it. */
final class SocketFiles {
    private SocketFiles() {
    }

    /**
     * Creates the parent directory and removes a stale socket file left by a daemon that died.
     *
     * @throws IOException naming the path when a live daemon answers on it
     */
    static void claim(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (!Files.exists(path)) {
            return;
        }
        if (answers(path)) {
            throw new IOException("another daemon is already listening on " + path
                + "; stop it first or choose another socket path");
        }
        Files.delete(path);
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
