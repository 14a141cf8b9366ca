package org.jvirtd.driver.qemu.internal.qmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.json.Json;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.platform.net.SocketDescriptors;

/**
 * A QMP connection: capabilities negotiation, one method per command with a timeout, asynchronous
 * events dispatched by name, and the end of the stream reported at once (the QEMU process is gone).
 */
public final class QmpClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SocketChannel channel;
    private final Map<String, Consumer<Map<String, Object>>> events;
    private final Map<String, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private QmpClient(SocketChannel channel, Map<String, Consumer<Map<String, Object>>> events) {
        this.channel = channel;
        this.events = Map.copyOf(events);
    }

    /**
     * Connects, negotiates capabilities and starts reading. {@code events} maps event names to handlers
     * (run on the reader thread); {@code onClose} runs once the stream ends.
     */
    public static QmpClient connect(Path socket, Map<String, Consumer<Map<String, Object>>> events,
                                    Runnable onClose) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "failed to connect to monitor socket '" + socket
                + "': " + e.getMessage());
        }
        QmpClient client = new QmpClient(channel, events);
        client.closed.thenRun(onClose);
        Thread reader = new Thread(client::readLoop, "qmp-" + socket.getParent().getFileName());
        reader.setDaemon(true);
        reader.start();
        client.qmpCapabilities();
        return client;
    }

    /**
     * Reads replies and events line by line with the channel's own read, which unlike a channel stream
     * does not hold the lock a concurrent write needs.
     */
    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        dispatchOne(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException | RuntimeException e) {
            // The stream is over either way; the close notice below tells the owner.
        } finally {
            // QEMU is gone or the owner let go: either way the socket is of no more use, and an owner whose QEMU
            // exited never closes it (each guest stop would leave one descriptor behind)
            close();
            pending.values().forEach(f -> f.completeExceptionally(
                VirtErrors.operationFailed(ErrorDomain.QEMU, "monitor connection closed")));
            closed.complete(null);
        }
    }

    /**
     * One line the monitor sent. A line that cannot be read costs only itself: the monitor, and with it the
     * guest's state, must not be given up over it (the caller waiting for it times out).
     */
    private void dispatchOne(String line) {
        try {
            dispatch(line);
        } catch (RuntimeException e) {
            System.getLogger(QmpClient.class.getName()).log(System.Logger.Level.WARNING,
                "ignoring a QMP message that cannot be read (" + e.getMessage() + "): " + line);
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String line) {
        if (line.isBlank()) {
            return;
        }
        Map<String, Object> msg = (Map<String, Object>) Json.read(line);
        if (msg.containsKey("event")) {
            Consumer<Map<String, Object>> handler = events.get(String.valueOf(msg.get("event")));
            if (handler != null) {
                Object data = msg.get("data");
                handler.accept(data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
            }
            return;
        }
        String id = String.valueOf(msg.get("id"));
        CompletableFuture<Object> reply = msg.containsKey("id") ? pending.remove(id) : null;
        if (reply == null) {
            return;
        }
        if (msg.containsKey("error")) {
            Map<String, Object> error = (Map<String, Object>) msg.get("error");
            reply.completeExceptionally(new QemuError(String.valueOf(error.get("desc"))));
        } else {
            reply.complete(msg.get("return"));
        }
    }

    /** Sends a command and waits for its reply. */
    public Object execute(String command, Props arguments, Duration timeout) {
        return execute(command, arguments, timeout, -1);
    }

    /** Sends a command with a descriptor attached to it (SCM_RIGHTS), as getfd takes one, and waits for its reply. */
    public Object executeWithDescriptor(String command, Props arguments, int fd, Duration timeout) {
        return execute(command, arguments, timeout, fd);
    }

    private Object execute(String command, Props arguments, Duration timeout, int fd) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Object> reply = new CompletableFuture<>();
        pending.put(id, reply);
        Props msg = Props.of("execute", command).put("arguments", arguments).put("id", id);
        try {
            ByteBuffer bytes = ByteBuffer.wrap((msg.json() + "\n").getBytes(StandardCharsets.UTF_8));
            synchronized (channel) {
                if (fd >= 0) {
                    SocketDescriptors.writeWithDescriptor(channel, bytes, fd);
                }
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            pending.remove(id);
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "monitor connection closed");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QemuError error) {
                // libvirt's words for an error QEMU answered
                throw VirtErrors.internal(ErrorDomain.QEMU, "unable to execute QEMU command '" + command + "': "
                    + error.getMessage());
            }
            throw e.getCause() instanceof RuntimeException r ? r
                : VirtErrors.internal(ErrorDomain.QEMU, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            pending.remove(id);
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "timed out waiting for QEMU command '" + command + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted during QEMU command '" + command + "'");
        }
    }

    private Object execute(String command, Props arguments) {
        return execute(command, arguments, TIMEOUT);
    }

    /** Completes when the connection ends (QEMU exited or closed the monitor). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** getfd: QEMU keeps the descriptor sent with the command under {@code name}. */
    public void getfd(String name, int fd) {
        executeWithDescriptor("getfd", Props.of("fdname", name), fd, TIMEOUT);
    }

    public void closefd(String name) {
        execute("closefd", Props.of("fdname", name));
    }

    /** add_client: a display server (vnc, spice) takes the descriptor kept as {@code fdname} as a client. */
    public void addClient(String protocol, String fdname, boolean skipauth) {
        execute("add_client", Props.of("protocol", protocol).put("fdname", fdname).put("skipauth", skipauth)
            .put("tls", false));
    }

    public void qmpCapabilities() {
        execute("qmp_capabilities", null);
    }

    public void cont() {
        execute("cont", null);
    }

    public void stop() {
        execute("stop", null);
    }

    public void systemPowerdown() {
        execute("system_powerdown", null);
    }

    public void systemReset() {
        execute("system_reset", null);
    }

    @SuppressWarnings("unchecked")
    public String queryStatus() {
        return String.valueOf(((Map<String, Object>) execute("query-status", null)).get("status"));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> queryVersion() {
        return (Map<String, Object>) execute("query-version", null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryCommands() {
        return (List<Map<String, Object>>) execute("query-commands", null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryMachines() {
        return (List<Map<String, Object>>) execute("query-machines", null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryCpuDefinitions() {
        return (List<Map<String, Object>>) execute("query-cpu-definitions", null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> qomListTypes() {
        return (List<Map<String, Object>>) execute("qom-list-types", null);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> queryKvm() {
        return (Map<String, Object>) execute("query-kvm", null);
    }

    /** What the guest's reboot, shutdown and panic do (QMP set-action). */
    public void setAction(String reboot) {
        execute("set-action", Props.of("reboot", reboot));
    }

    public void migrate(String uri) {
        execute("migrate", Props.of("uri", uri));
    }

    public void migrateIncoming(String uri) {
        execute("migrate-incoming", Props.of("uri", uri));
    }

    @SuppressWarnings("unchecked")
    public String queryMigrateStatus() {
        Object status = ((Map<String, Object>) execute("query-migrate", null)).get("status");
        return status == null ? "none" : String.valueOf(status);
    }

    /** Runs an HMP command (savevm, loadvm, delvm have no QMP form in QEMU 7.2); returns what it printed. */
    public String humanMonitorCommand(String commandLine, Duration timeout) {
        return String.valueOf(execute("human-monitor-command", Props.of("command-line", commandLine), timeout));
    }

    public void blockdevAdd(Props node) {
        execute("blockdev-add", node);
    }

    public void blockdevDel(String nodeName) {
        execute("blockdev-del", Props.of("node-name", nodeName));
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryBlock() {
        return (List<Map<String, Object>>) execute("query-block", null);
    }

    /** Every block node, each once (flat), with its file, format driver and image facts. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryNamedBlockNodes() {
        return (List<Map<String, Object>>) execute("query-named-block-nodes", Props.of("flat", true));
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryBlockJobs() {
        return (List<Map<String, Object>>) execute("query-block-jobs", null);
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> queryJobs() {
        return (List<Map<String, Object>>) execute("query-jobs", null);
    }

    public void blockResize(String nodeName, long size) {
        execute("block_resize", Props.of("node-name", nodeName).put("size", size));
    }

    public void blockSetWriteThreshold(String nodeName, long threshold) {
        execute("block-set-write-threshold", Props.of("node-name", nodeName).put("write-threshold", threshold));
    }

    /** block-commit, block-stream, blockdev-mirror and blockdev-backup: starts a job with these arguments. */
    public void startBlockJob(String command, Props arguments) {
        execute(command, arguments);
    }

    /** A persistent (kept in the qcow2 image) or temporary dirty bitmap on a node, recording or disabled. */
    public void blockDirtyBitmapAdd(String node, String name, boolean persistent) {
        execute("block-dirty-bitmap-add", Props.of("node", node).put("name", name).put("persistent", persistent));
    }

    public void blockDirtyBitmapRemove(String node, String name) {
        execute("block-dirty-bitmap-remove", Props.of("node", node).put("name", name));
    }

    /** Runs QMP actions at one instant (bitmaps and a backup start together). */
    public void transaction(List<Props> actions) {
        execute("transaction", Props.of("actions", actions));
    }

    public void nbdServerStart(String socket) {
        execute("nbd-server-start", Props.of("addr", Props.of("type", "unix").put("data", Props.of("path", socket))));
    }

    public void nbdServerStop() {
        execute("nbd-server-stop", null);
    }

    /** Exports a node read-only over the NBD server under {@code name}, with a dirty bitmap when not null. */
    public void blockExportAdd(String id, String node, String name, String bitmap) {
        Props args = Props.of("type", "nbd").put("id", id).put("node-name", node).put("name", name)
            .put("writable", false);
        if (bitmap != null) {
            args.put("bitmaps", List.of(bitmap));
        }
        execute("block-export-add", args);
    }

    public void blockExportDel(String id) {
        execute("block-export-del", Props.of("id", id));
    }

    public void jobComplete(String id) {
        execute("job-complete", Props.of("id", id));
    }

    /** block-job-cancel: a ready mirror ends without switching over, any other job stops. */
    public void blockJobCancel(String id) {
        execute("block-job-cancel", Props.of("device", id));
    }

    public void blockJobSetSpeed(String id, long speed) {
        execute("block-job-set-speed", Props.of("device", id).put("speed", speed));
    }

    public void jobDismiss(String id) {
        execute("job-dismiss", Props.of("id", id));
    }

    public void deviceAdd(Props device) {
        execute("device_add", device);
    }

    public void deviceDel(String id) {
        execute("device_del", Props.of("id", id));
    }

    public void netdevAdd(Props netdev) {
        execute("netdev_add", netdev);
    }

    public void netdevDel(String id) {
        execute("netdev_del", Props.of("id", id));
    }

    public void setPassword(String protocol, String password) {
        execute("set_password", Props.of("protocol", protocol).put("password", password));
    }

    public void quit() {
        execute("quit", null);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket that is already gone changes nothing.
        }
    }

    /** The error QEMU answered to a command, named by the caller that knows the command. */
    private static final class QemuError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QemuError(String desc) {
            super(desc, null, false, false);
        }
    }
}
