package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jvirtd.core.listen.HeldSockets;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.Priority;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.UnknownHeaderValue;
import org.jvirtd.rpc.xdr.XdrException;

/**
 * The RPC server: one selector thread accepts clients on every listener, cuts their bytes into packets
 * and answers keepalive and the calls that never wait (lookups by name, the host name) at once; other
 * calls go to the worker pool, at most {@code max_client_requests} per client at a time (reading from a
 * client pauses at the limit, as libvirtd's does). At {@code max_clients} it stops accepting; the client
 * limits and the worker pool change at runtime (virt-admin server-clients-set, server-threadpool-set).
 * Given a {@link HeldSockets}, it starts from the listening sockets a stopped server left there and
 * leaves its own there when it stops, so an update of the rpc bundle refuses no client.
 */
public final class RpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
    private static final long TICK_MILLIS = 500;

    private final Program program;
    private final ServerSettings settings;
    private final WorkerPool pool;
    private final Selector selector;
    private final HeldSockets held;
    private final List<Bound> bound = new ArrayList<>();
    private final Set<ClientSession> sessions = new HashSet<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean accepting = true;
    // changed by the admin interface, read on the selector thread
    private volatile long maxClients;
    private volatile long maxAnonymousClients;
    private long lastClientId;

    /** A listening channel, its address and (unix) socket file. */
    private record Bound(ServerSocketChannel channel, SocketAddress address, Path socketFile) {
    }

    /**
     * Opens every listener and starts serving.
     *
     * @throws IOException when a socket cannot be opened, or a live daemon already holds one
     */
    public RpcServer(Dispatcher dispatcher, ServerSettings settings, List<Listener> listeners) throws IOException {
        this(Program.remote(dispatcher), settings, listeners, null);
    }

    /**
     * Opens every listener and serves {@code program} on them.
     *
     * @throws IOException when a socket cannot be opened, or a live daemon already holds one
     */
    public RpcServer(Program program, ServerSettings settings, List<Listener> listeners) throws IOException {
        this(program, settings, listeners, null);
    }

    /**
     * Opens every listener, taking the channels {@code held} keeps for their addresses, and serves
     * {@code program} on them; when it stops, its listening channels go back to {@code held}.
     *
     * @param held the sockets kept across servers, null to open and close them here
     * @throws IOException when a socket cannot be opened, or a live daemon already holds one
     */
    public RpcServer(Program program, ServerSettings settings, List<Listener> listeners, HeldSockets held)
        throws IOException {
        this.program = program;
        this.held = held;
        this.settings = settings;
        this.maxClients = settings.maxClients();
        this.maxAnonymousClients = settings.maxAnonymousClients();
        this.selector = Selector.open();
        try {
            for (Listener listener : listeners) {
                open(listener);
            }
        } catch (IOException | RuntimeException e) {
            closeListeners();
            selector.close();
            throw e;
        }
        this.pool = new WorkerPool("jvirtd-rpc", settings.minWorkers(), settings.maxWorkers(), settings.prioWorkers());
        this.thread = new Thread(this::loop, "jvirtd-rpc-selector");
        thread.setDaemon(true);
        thread.start();
    }

    private void open(Listener listener) throws IOException {
        Path socketFile = listener.isUnix() ? listener.path() : null;
        ServerSocketChannel channel = held == null ? null : held.take(listener.address());
        if (channel == null) {
            if (socketFile != null) {
                SocketFiles.claim(socketFile);
            }
            channel = socketFile != null ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
            try {
                channel.bind(listener.address(), settings.maxQueuedClients());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        bound.add(new Bound(channel, listener.address(), socketFile));
        if (socketFile != null) {
            applyOwnership(listener, socketFile);
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT, listener);
    }

    private static void applyOwnership(Listener listener, Path path) throws IOException {
        if (listener.group() != null && !listener.group().isEmpty()) {
            GroupPrincipal group = path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(listener.group());
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
        }
        if (listener.permissions() != null) {
            Files.setPosixFilePermissions(path, listener.permissions());
        }
    }

    /** Number of connected clients (for tests and the admin view). */
    public int clientCount() {
        return runOnSelector(sessions::size);
    }

    /** The settings the server started with; {@link #clientLimits()} has the client limits now in force. */
    public ServerSettings settings() {
        return settings;
    }

    /** max_clients, max_anonymous_clients and the clients connected (virt-admin server-clients-info). */
    public ClientLimits clientLimits() {
        return runOnSelector(() -> new ClientLimits(maxClients, sessions.size(), maxAnonymousClients,
            unauthenticated()));
    }

    /**
     * Changes max_clients and max_anonymous_clients; a null keeps that one. Lowering max_clients under
     * the clients connected closes none of them: new clients wait in the listen backlog until enough leave.
     *
     * @throws IllegalArgumentException with libvirt's message when max_clients would be under
     *     max_anonymous_clients
     */
    public void setClientLimits(Long newMaxClients, Long newMaxAnonymousClients) {
        RuntimeException failure = runOnSelector(() -> {
            long max = newMaxClients == null ? maxClients : newMaxClients;
            long anonymous = newMaxAnonymousClients == null ? maxAnonymousClients : newMaxAnonymousClients;
            if (max < anonymous) {
                return new IllegalArgumentException("The overall maximum number of clients waiting for "
                    + "authentication must not be less than the overall maximum number of clients");
            }
            maxClients = max;
            maxAnonymousClients = anonymous;
            checkLimits();
            return null;
        });
        if (failure != null) {
            throw failure;
        }
    }

    /** The worker pool now (virt-admin server-threadpool-info). */
    public ThreadPoolInfo threadPool() {
        return pool.info();
    }

    /**
     * Changes the worker pool's limits; a null keeps that one (virt-admin server-threadpool-set).
     *
     * @throws IllegalArgumentException with libvirt's message for limits libvirt refuses
     */
    public void setThreadPool(Long minWorkers, Long maxWorkers, Long prioWorkers) {
        pool.resize(minWorkers, maxWorkers, prioWorkers);
    }

    /** The connected clients, by id (the admin interface's client list). */
    public List<ClientInfo> clients() {
        return runOnSelector(() -> sessions.stream().map(ClientSession::info)
            .sorted(java.util.Comparator.comparingLong(ClientInfo::id)).toList());
    }

    /** Disconnects a client (virt-admin client-disconnect); false when no client has that id. */
    public boolean disconnect(long id) {
        return runOnSelector(() -> {
            for (ClientSession session : new ArrayList<>(sessions)) {
                if (session.info().id() == id) {
                    close(session, null);
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.stop();
    }

    private void loop() {
        long nextTick = System.nanoTime();
        try {
            while (running) {
                selector.select(TICK_MILLIS);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    tick(now);
                    nextTick = now + TICK_MILLIS * 1_000_000L;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.ERROR, "RPC selector failed", e);
        } finally {
            for (ClientSession session : new ArrayList<>(sessions)) {
                close(session, null);
            }
            closeListeners();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the selector", e);
            }
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Listener listener) {
            if (key.isAcceptable()) {
                accept((ServerSocketChannel) key.channel(), listener);
            }
            return;
        }
        ClientSession session = (ClientSession) key.attachment();
        if (key.isValid() && key.isWritable()) {
            session.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
            read(session);
        }
    }

    private void accept(ServerSocketChannel server, Listener listener) {
        try {
            SocketChannel channel = server.accept();
            if (channel == null) {
                return;
            }
            channel.configureBlocking(false);
            ClientSession session = new ClientSession(this, channel, listener, ++lastClientId);
            session.key(channel.register(selector, SelectionKey.OP_READ, session));
            sessions.add(session);
            checkLimits();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "accepting a client failed", e);
        }
    }

    /** Clients still to authenticate (libvirt's nclients_unauth). */
    private long unauthenticated() {
        return sessions.stream().filter(session -> !session.state().auth().complete()).count();
    }

    /**
     * Accepts clients while fewer than max_clients are connected and fewer than max_anonymous_clients
     * (when not 0) still have to authenticate, as libvirtd's server does; otherwise leaves them in the backlog.
     */
    private void checkLimits() {
        setAccepting(sessions.size() < maxClients
            && (maxAnonymousClients <= 0 || unauthenticated() < maxAnonymousClients));
    }

    /** A client finished authenticating: one more may be let in if the unauthenticated were at their limit. */
    void authenticated() {
        runLater(this::checkLimits);
    }

    /** max_clients reached: leave new clients in the listen backlog until one leaves. */
    private void setAccepting(boolean accept) {
        if (accepting == accept) {
            return;
        }
        accepting = accept;
        for (SelectionKey key : selector.keys()) {
            if (key.isValid() && key.attachment() instanceof Listener) {
                key.interestOps(accept ? SelectionKey.OP_ACCEPT : 0);
            }
        }
    }

    private void read(ClientSession session) {
        try {
            if (session.transport().read(session.readBuffer()) < 0) {
                close(session, null);
                return;
            }
        } catch (IOException e) {
            if (e instanceof javax.net.ssl.SSLException) {
                LOG.log(System.Logger.Level.WARNING, "TLS client {0} refused: {1}", session.info().address(),
                    e.getMessage());
            } else if (e.getCause() instanceof org.jvirtd.platform.sasl.SaslException) {
                LOG.log(System.Logger.Level.WARNING, "SASL client {0} dropped: {1}", session.info().address(),
                    e.getMessage());
            }
            close(session, null);
            return;
        }
        processBuffered(session);
    }

    /** Handles every whole packet in the read buffer, unless the client has too many calls running. */
    private void processBuffered(ClientSession session) {
        ByteBuffer buffer = session.readBuffer();
        buffer.flip();
        try {
            while (!session.isClosed() && session.callsInFlight().get() < settings.maxClientRequests()) {
                byte[] body = session.framer().next(buffer);
                if (body == null) {
                    break;
                }
                try {
                    onPacket(session, Packet.parse(body));
                } catch (UnknownHeaderValue e) {
                    onUnknownHeaderValue(session, e);
                }
            }
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.INFO, "closing client after malformed packet: {0}", e.getMessage());
            close(session, null);
            return;
        } finally {
            buffer.compact();
        }
        if (!session.isClosed()) {
            boolean paused = session.callsInFlight().get() >= settings.maxClientRequests();
            SelectionKey key = session.key();
            int ops = key.interestOps();
            key.interestOps(paused ? ops & ~SelectionKey.OP_READ : ops | SelectionKey.OP_READ);
            if (!paused && session.transport().hasBufferedInput()) {
                // TLS may hold decrypted bytes the socket will not announce again
                runLater(() -> {
                    if (!session.isClosed()) {
                        read(session);
                    }
                });
            }
        }
    }

    private void onPacket(ClientSession session, Packet packet) {
        session.received();
        Header header = packet.header();
        if (header.program() == Protocol.KEEPALIVE_PROGRAM && header.version() == Protocol.VERSION) {
            if (header.type() == MessageType.MESSAGE && header.procedure() == Protocol.KEEPALIVE_PING) {
                session.send(Keepalive.pong());
            }
            return;
        }
        if (header.type() == MessageType.CALL_WITH_FDS) {
            // its descriptors follow, one byte each: dropped with their bytes, the call is refused below
            session.framer().skipDescriptorBytes(packet.payload().readInt());
        }
        if (refusedAsUnknownProgram(session, header)) {
            return;
        }
        boolean call = header.type() == MessageType.CALL || header.type() == MessageType.CALL_WITH_FDS;
        if (call && header.status() != MessageStatus.OK) {
            refuseStatus(session, header, header.status().number());
            return;
        }
        switch (header.type()) {
            case CALL -> submit(session, packet);
            case CALL_WITH_FDS -> session.send(program.refuseWithFiles(session.state(), packet));
            case STREAM, STREAM_HOLE -> onStreamPacket(session, packet);
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring {0} packet from a client", header.type());
        }
    }

    /** Answers a call of a program (or version) this server does not serve; true when the packet is done with. */
    private boolean refusedAsUnknownProgram(ClientSession session, Header header) {
        if (program.serves(header.program()) && header.version() == Protocol.VERSION) {
            return false;
        }
        if (header.type() == MessageType.CALL || header.type() == MessageType.CALL_WITH_FDS) {
            session.send(Dispatcher.error(header, RpcErrors.unknownProgram(header.program(), header.version())));
        }
        return true;
    }

    /** A packet whose header libvirtd would read but not act on: the connection stays, as it does there. */
    private void onUnknownHeaderValue(ClientSession session, UnknownHeaderValue e) {
        session.received();
        Header call = e.call();
        if (call == null) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring a packet from a client: {0}", e.getMessage());
        } else if (!refusedAsUnknownProgram(session, call)) {
            refuseStatus(session, call, e.statusNumber());
        }
    }

    /** A call must carry status OK; libvirtd answers any other with this error and reads on. */
    private static void refuseStatus(ClientSession session, Header call, int status) {
        session.send(Dispatcher.error(call, RpcErrors.rpc("Unexpected message status "
            + Integer.toUnsignedString(status))));
    }

    private void submit(ClientSession session, Packet packet) {
        Header header = packet.header();
        if (session.callsInFlight().get() == 0 && program.answersAtOnce(header.program(), header.procedure())) {
            // never waits: answering here costs less than waking a worker, and keeps the client's order
            sendReply(session, program.dispatch(session.state(), packet));
            session.afterReply();
            return;
        }
        session.callsInFlight().incrementAndGet();
        Priority priority = program.priority(packet.header().procedure());
        pool.submit(() -> {
            try {
                if (!session.isClosed()) {
                    sendReply(session, program.dispatch(session.state(), packet));
                    session.afterReply();
                }
            } finally {
                if (session.callsInFlight().getAndDecrement() == settings.maxClientRequests()) {
                    runLater(() -> {
                        if (!session.isClosed()) {
                            processBuffered(session);
                        }
                    });
                }
            }
        }, priority);
    }

    /** A null reply was queued by its handler already (with file descriptors). */
    private static void sendReply(ClientSession session, ByteBuffer reply) {
        if (reply != null) {
            session.send(reply);
        }
    }

    private void onStreamPacket(ClientSession session, Packet packet) {
        Header header = packet.header();
        StreamHandle stream = session.state().streams().get(header.serial());
        if (stream == null) {
            LOG.log(System.Logger.Level.DEBUG, "stream packet for unknown stream serial {0}", header.serial());
            return;
        }
        if (header.type() == MessageType.STREAM_HOLE) {
            stream.hole(packet.body(), Protocol.HEADER_SIZE, packet.payloadLength());
            return;
        }
        switch (header.status()) {
            case CONTINUE -> stream.receive(packet.body(), Protocol.HEADER_SIZE, packet.payloadLength());
            case OK -> stream.finish();
            case ERROR -> {
                session.state().streams().remove(header.serial());
                stream.abort();
            }
        }
    }

    private void tick(long now) {
        for (ClientSession session : new ArrayList<>(sessions)) {
            boolean expired = session.keepaliveDue(now, settings.keepaliveInterval(), settings.keepaliveCount(),
                () -> session.send(Keepalive.ping()));
            if (expired) {
                close(session, "connection closed due to keepalive timeout");
            }
        }
    }

    /** Asks the selector thread to watch a client's socket for room to write. */
    void requestWrite(ClientSession session) {
        runLater(() -> {
            SelectionKey key = session.key();
            if (key.isValid()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        });
    }

    void closeLater(ClientSession session, String reason) {
        runLater(() -> close(session, reason));
    }

    private void runLater(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private <T> T runOnSelector(java.util.function.Supplier<T> query) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        runLater(() -> result.complete(query.get()));
        return result.join();
    }

    private void close(ClientSession session, String reason) {
        if (!session.markClosed()) {
            return;
        }
        if (reason != null) {
            LOG.log(System.Logger.Level.INFO, reason);
        }
        sessions.remove(session);
        session.key().cancel();
        try {
            session.channel().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a client socket", e);
        }
        try {
            session.state().release();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "releasing a client's connection failed", e);
        }
        if (running) {
            checkLimits();
        }
    }

    /** Hands the listening channels to {@code held} (still listening), or closes them and removes their files. */
    private void closeListeners() {
        for (Bound listener : bound) {
            if (held != null && listener.channel().isOpen()) {
                held.hold(listener.address(), listener.channel(), listener.socketFile());
                continue;
            }
            try {
                listener.channel().close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listener", e);
            }
            if (listener.socketFile() != null) {
                try {
                    Files.deleteIfExists(listener.socketFile());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "removing socket " + listener.socketFile(), e);
                }
            }
        }
        bound.clear();
    }
}
