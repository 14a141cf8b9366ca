package org.jvirtd.driver.lxc.internal.controller;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The controller's unix socket, line by line: a client (the driver) gets the current state on connecting
 * ({@code running PID CONSOLE}), then every change ({@code rebooted}, {@code running ...}, finally {@code exit
 * REASON} or {@code failed WHY}); it sends commands ({@code shutdown}, {@code reboot}, {@code destroy}) and gets
 * {@code ok} or {@code error ...} back. The socket file goes when the controller ends.
 */
final class ControllerSocket implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private volatile String hello = "starting";
    private volatile UnaryOperator<String> commands = line -> "error not ready";

    private ControllerSocket(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    static ControllerSocket listen(Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        ControllerSocket socket = new ControllerSocket(path, server);
        Thread t = new Thread(socket::accept, "lxc-socket");
        t.setDaemon(true);
        t.start();
        return socket;
    }

    void onCommand(UnaryOperator<String> handler) {
        commands = handler;
    }

    void setHello(String state) {
        hello = state;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                synchronized (this) {
                    send(client, hello);
                    clients.add(client);
                }
                Thread t = new Thread(() -> serve(client), "lxc-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
            StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String answer = commands.apply(line.strip());
                synchronized (this) {
                    send(client, answer);
                }
            }
        } catch (IOException e) {
            // the client went away
        }
        clients.remove(client);
    }

    /** Sends a state line to every connected client. */
    synchronized void broadcast(String line) {
        for (SocketChannel client : clients) {
            send(client, line);
        }
    }

    private void send(SocketChannel client, String line) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                client.write(bytes);
            }
        } catch (IOException e) {
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (SocketChannel client : clients) {
                client.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            ControllerMain.log("closing the socket: " + e.getMessage());
        }
    }
}
