package org.jvirtd.driver.qemu.internal.qmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.model.json.Json;

/**
 * The QEMU guest agent behind a guest's {@code org.qemu.guest_agent.0} channel, reached through the unix
 * socket QEMU listens on. One command at a time: each starts with guest-sync-delimited and a fresh id, so a
 * late answer to an earlier command that timed out is recognised and dropped (the agent writes 0xFF before
 * the sync answer, which resets its parser state as libvirt relies on). Errors as libvirt words them.
 */
public final class AgentClient implements AutoCloseable {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);

    private final Path socket;
    private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
    private SocketChannel channel;

    public AgentClient(Path socket) {
        this.socket = socket;
    }

    /** Runs one agent command; {@code timeout} bounds the wait for its answer. */
    public synchronized Object execute(String command, Props arguments, Duration timeout) {
        connect();
        sync();
        send(Props.of("execute", command).put("arguments", arguments));
        Map<String, Object> reply = take(timeout);
        if (reply == null) {
            throw unresponsive("Guest agent not available for now");
        }
        if (reply.containsKey("error")) {
            Object desc = reply.get("error") instanceof Map<?, ?> e ? e.get("desc") : reply.get("error");
            throw VirtErrors.internal(ErrorDomain.QEMU, "unable to execute QEMU agent command '" + command + "': "
                + desc);
        }
        return reply.get("return");
    }

    /** Runs a command the agent answers by going away (guest-shutdown): no answer is waited for. */
    public synchronized void executeNoReply(String command, Props arguments) {
        connect();
        sync();
        send(Props.of("execute", command).put("arguments", arguments));
    }

    /** Sends a raw JSON command (virDomainQemuAgentCommand) and returns the agent's raw JSON answer. */
    public synchronized String executeRaw(String json, Duration timeout) {
        connect();
        sync();
        Object request = Json.read(json);
        write(Json.write(request));
        Map<String, Object> reply = take(timeout);
        if (reply == null) {
            throw unresponsive("Guest agent not available for now");
        }
        if (reply.containsKey("error")) {
            Object desc = reply.get("error") instanceof Map<?, ?> e ? e.get("desc") : reply.get("error");
            throw VirtErrors.internal(ErrorDomain.QEMU, "unable to execute QEMU agent command: " + desc);
        }
        return Json.write(reply);
    }

    private void sync() {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE >> 11);
        replies.clear();
        send(Props.of("execute", "guest-sync-delimited").put("arguments", Props.of("id", id)));
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        while (true) {
            Map<String, Object> reply = take(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (reply == null) {
                throw unresponsive("Guest agent not available for now");
            }
            if (reply.get("return") instanceof Number n && n.longValue() == id) {
                return;
            }
        }
    }

    private void send(Props message) {
        write(message.json());
    }

    private void write(String json) {
        ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            closeChannel();
            throw unresponsive("QEMU guest agent is not connected");
        }
    }

    private Map<String, Object> take(Duration timeout) {
        try {
            return replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unresponsive("Guest agent not available for now");
        }
    }

    private void connect() {
        if (channel != null && channel.isOpen()) {
            return;
        }
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw unresponsive("QEMU guest agent is not connected");
        }
        SocketChannel reading = channel;
        Thread reader = new Thread(() -> readLoop(reading), "qga-" + socket.getParent().getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /** Collects the agent's answers; 0xFF bytes (the sync delimiter) and blank lines are skipped. */
    @SuppressWarnings("unchecked")
    private void readLoop(SocketChannel from) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8).strip();
                        line.reset();
                        if (!text.isEmpty() && Json.read(text) instanceof Map<?, ?> m) {
                            replies.add((Map<String, Object>) m);
                        }
                    } else if (b != (byte) 0xff) {
                        line.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException | RuntimeException e) {
            // the channel is gone or the guest wrote garbage: the next command reconnects and syncs again
        }
    }

    private static VirtException unresponsive(String detail) {
        return new VirtException(ErrorCode.AGENT_UNRESPONSIVE, ErrorDomain.QEMU, detail);
    }

    private synchronized void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing is all that is left to do
        }
        channel = null;
    }

    @Override
    public void close() {
        closeChannel();
    }
}
