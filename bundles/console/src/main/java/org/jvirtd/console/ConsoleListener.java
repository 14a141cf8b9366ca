package org.jvirtd.console;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.CommandProcessor;

/**
 * The operator shell's unix socket: claims the path (a stale file from a daemon that died is removed,
 * a live one is left alone), binds it with mode 0600, and runs each connection's session on its own
 * thread. Closing it closes the sessions and removes the socket file.
 */
final class ConsoleListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsoleListener.class.getName());

    private final Path path;
    private final ServerSocketChannel server;
    private final CommandProcessor processor;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private ConsoleListener(Path path, ServerSocketChannel server, CommandProcessor processor) {
        this.path = path;
        this.server = server;
        this.processor = processor;
        this.acceptor = new Thread(this::acceptLoop, "jvirtd-shell-listener");
        this.acceptor.setDaemon(true);
    }

    static ConsoleListener open(Path path, CommandProcessor processor) throws IOException {
        Files.createDirectories(path.getParent());
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("another daemon serves the operator shell on " + path);
            }
            Files.delete(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ConsoleListener listener = new ConsoleListener(path, server, processor);
        listener.acceptor.start();
        return listener;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "operator shell: accept failed: " + e.getMessage());
                continue;
            }
            clients.add(client);
            Thread session = new Thread(() -> {
                try {
                    new ConsoleSession(client, processor).run();
                } finally {
                    clients.remove(client);
                }
            }, "jvirtd-shell-session");
            session.setDaemon(true);
            session.start();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "operator shell: closing the socket", e);
        }
        for (SocketChannel client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "operator shell: closing a session", e);
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "operator shell: cannot remove " + path + ": " + e.getMessage());
        }
    }
}
