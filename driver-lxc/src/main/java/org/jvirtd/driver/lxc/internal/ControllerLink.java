package org.jvirtd.driver.lxc.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The driver's end of a controller's socket: the state lines the controller sends ({@code running PID
 * CONSOLE}, {@code rebooted}, {@code exit REASON}, {@code failed WHY}) go to a listener; commands get their
 * answers in order. The end of the stream without an {@code exit} line means the controller died.
 */
final class ControllerLink implements AutoCloseable {
    private static final long ANSWER_SECONDS = 10;

    private final SocketChannel channel;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> running = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile Consumer<String> listener = line -> { };
    private volatile String state = "starting";

    private ControllerLink(SocketChannel channel) {
        this.channel = channel;
    }

    static ControllerLink connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        ControllerLink link = new ControllerLink(channel);
        Thread t = new Thread(link::read, "lxc-link-" + socket.getFileName());
        t.setDaemon(true);
        t.start();
        return link;
    }

    /** Receives every state line from now on (not command answers). */
    void listen(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Completes with the first {@code running ...} line, or exceptionally when the container failed first. */
    CompletableFuture<String> running() {
        return running;
    }

    /** Completes with the last line ({@code exit REASON}, {@code failed WHY}, or "" when the stream just ended). */
    CompletableFuture<String> ended() {
        return ended;
    }

    /** The last {@code running PID CONSOLE} line, or "starting". */
    String state() {
        return state;
    }

    private void read() {
        String last = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
            StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("ok") || line.startsWith("error")) {
                    answers.add(line);
                    continue;
                }
                last = line;
                if (line.startsWith("running ")) {
                    state = line;
                    running.complete(line);
                } else if (line.startsWith("failed ")) {
                    running.completeExceptionally(new IOException(line.substring(7)));
                }
                listener.accept(line);
            }
        } catch (IOException e) {
            // closed by us or the controller went away
        }
        running.completeExceptionally(new IOException("the controller ended"));
        ended.complete(last);
    }

    /** Sends a command and waits for its answer; null when it was "ok", else the error. */
    String command(String command) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        try {
            String answer = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IOException("the controller did not answer " + command);
            }
            return "ok".equals(answer) ? null : answer.substring(Math.min(answer.length(), 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
