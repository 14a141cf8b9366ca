package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import org.jvirtd.rpc.dispatch.DescriptorFiles;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirtd.platform.net.UnixPeer;
import org.jvirtd.platform.sasl.SaslException;
import org.jvirtd.platform.sasl.SaslServerSession;
import org.jvirtd.rpc.auth.ClientAuth;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Outbox;
import org.jvirtd.rpc.wire.PacketFramer;

/**
 * One client socket: bytes in, packets out, its calls in flight and its keepalive state. Reads happen
 * on the selector thread; any thread may send, and a send writes at once when the socket takes it.
 */
final class ClientSession implements Outbox {
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());
    /** Replies and events a client may leave unread before it is dropped. */
    static final long OUTPUT_LIMIT = 96L * 1024 * 1024;
    private static final int READ_BUFFER = 64 * 1024;

    private final RpcServer server;
    private final SocketChannel channel;
    private volatile Transport transport;
    // the SASL layer goes on once this reply (the one completing the exchange) is written
    private ByteBuffer layerAfter;
    private SaslTransport pendingLayer;
    private SaslServerSession activeLayer;
    private final ClientInfo info;
    private final ClientState state;
    private final PacketFramer framer = new PacketFramer();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private final Deque<ByteBuffer> output = new ArrayDeque<>();
    /** Descriptors to pass right after a packet of {@link #output} is written (guarded by output). */
    private final java.util.Map<ByteBuffer, int[]> descriptorsAfter = new java.util.IdentityHashMap<>();
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private SelectionKey key;
    private long queuedBytes;
    private boolean writeScheduled;
    private boolean closeWhenDrained;
    private volatile boolean closeRequested;
    // whether the server has heard that this client authenticated (worker threads only)
    private volatile boolean authenticated;
    private volatile boolean closed;

    // keepalive, touched on the selector thread only (startKeepalive flips the volatile flag)
    private volatile boolean keepalive;
    private long lastReceived = System.nanoTime();
    private int unansweredPings;

    ClientSession(RpcServer server, SocketChannel channel, Listener listener, long id) throws IOException {
        this.server = server;
        this.channel = channel;
        this.transport = listener.tls() == null ? new PlainTransport(channel, listener.transport())
            : new TlsTransport(channel, listener.tls(), () -> server.requestWrite(this));
        this.info = ClientIdentity.describe(id, channel, listener);
        // libvirt counts unix sockets and TLS as secure (virConnectIsSecure)
        boolean secure = listener.transport() != Transport.TCP;
        this.state = new ClientState(listener.readOnly(), secure, this,
            new ClientAuth(listener.auth(), listener.readOnly(), secure, authChannel(listener)));
        this.authenticated = state.auth().complete();
    }

    /** What authentication may ask of this socket: the peer process, the TLS strength, the addresses. */
    private ClientAuth.Channel authChannel(Listener listener) {
        return new ClientAuth.Channel() {
            @Override
            public UnixPeer unixPeer() throws IOException {
                if (!listener.isUnix()) {
                    throw new IOException("client is not on a unix socket");
                }
                return UnixPeer.of(channel);
            }

            @Override
            public int tlsKeyBits() {
                return transport.keyBits();
            }

            @Override
            public String localAddress() {
                return listener.isUnix() ? null : ClientIdentity.address(channel, true);
            }

            @Override
            public String remoteAddress() {
                return listener.isUnix() ? null : ClientIdentity.address(channel, false);
            }
        };
    }

    Transport transport() {
        return transport;
    }

    /** The client as the admin interface shows it; the DN is known once the TLS handshake is done. */
    ClientInfo info() {
        String name = transport.peerDistinguishedName();
        return name == null ? info : new ClientInfo(info.id(), info.connectedAt(), info.transport(),
            info.readOnly(), info.address(), info.unixUser(), info.unixGroup(), name);
    }

    SocketChannel channel() {
        return channel;
    }

    ClientState state() {
        return state;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    PacketFramer framer() {
        return framer;
    }

    void key(SelectionKey selectionKey) {
        this.key = selectionKey;
    }

    SelectionKey key() {
        return key;
    }

    boolean isClosed() {
        return closed;
    }

    AtomicInteger callsInFlight() {
        return callsInFlight;
    }

    @Override
    public void sendWithFds(ByteBuffer packet, int[] fds) {
        if (transport.kind() != Transport.UNIX) {
            DescriptorFiles.close(fds);
            throw new UnsupportedOperationException("file descriptors can only be passed over a unix socket");
        }
        synchronized (output) {
            descriptorsAfter.put(packet, fds);
        }
        send(packet);
    }

    @Override
    public void send(ByteBuffer packet) {
        boolean overflow = false;
        boolean drainedAfterClose = false;
        synchronized (output) {
            if (closed) {
                return;
            }
            output.addLast(packet);
            queuedBytes += packet.remaining();
            // cheap for every packet: only the reply completing a SASL exchange with a layer starts one
            if (activeLayer == null && state.auth().layered() && !startLayer(packet)) {
                return;
            }
            if (queuedBytes > OUTPUT_LIMIT) {
                overflow = true;
            } else if (!writeScheduled) {
                if (!writeLocked()) {
                    return;
                }
                if (drainedLocked()) {
                    drainedAfterClose = closeWhenDrained;
                } else {
                    writeScheduled = true;
                    server.requestWrite(this);
                }
            }
        }
        if (overflow) {
            server.closeLater(this, "client does not read its replies (" + queuedBytes + " bytes queued)");
        } else if (drainedAfterClose) {
            server.closeLater(this, null);
        }
    }

    /** Called by the selector when the socket can take more. */
    void onWritable() {
        boolean drainedAfterClose = false;
        synchronized (output) {
            if (!writeLocked()) {
                return;
            }
            if (drainedLocked()) {
                writeScheduled = false;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                drainedAfterClose = closeWhenDrained;
            }
        }
        if (drainedAfterClose) {
            server.closeLater(this, null);
        }
    }

    /** Writes what the socket takes; false when the socket broke (the client is being closed). */
    private boolean writeLocked() {
        try {
            ByteBuffer head;
            while ((head = output.peekFirst()) != null) {
                int before = head.remaining();
                transport.write(head);
                queuedBytes -= before - head.remaining();
                if (head.hasRemaining()) {
                    return true;
                }
                output.pollFirst();
                if (head == layerAfter) {
                    pendingLayer.encodeWrites();
                    pendingLayer = null;
                    layerAfter = null;
                }
                int[] fds = descriptorsAfter.remove(head);
                if (fds != null) {
                    try {
                        transport.sendFds(fds);
                    } finally {
                        DescriptorFiles.close(fds);
                    }
                }
            }
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof SaslException) {
                LOG.log(System.Logger.Level.WARNING, "SASL client {0} dropped: {1}", info.address(), e.getMessage());
            }
            output.clear();
            descriptorsAfter.values().forEach(DescriptorFiles::close);
            descriptorsAfter.clear();
            queuedBytes = 0;
            server.closeLater(this, null);
            return false;
        }
    }

    /**
     * Everything after the reply that completed a SASL exchange with a security layer goes through that
     * layer: reads from now on, writes once {@code reply} is out.
     *
     * @return false when the layer could not start and the client is being dropped
     */
    private boolean startLayer(ByteBuffer reply) {
        SaslServerSession layer = state.auth().takeLayer();
        if (layer == null) {
            return true;
        }
        activeLayer = layer;
        try {
            pendingLayer = new SaslTransport(transport, layer);
        } catch (SaslException e) {
            LOG.log(System.Logger.Level.WARNING, "SASL client {0} dropped: {1}", info.address(), e.getMessage());
            output.clear();
            server.closeLater(this, null);
            return false;
        }
        layerAfter = reply;
        transport = pendingLayer;
        return true;
    }

    /** After a call's reply went out: a CONNECT_CLOSE closes the client once that reply is written. */
    void afterReply() {
        if (!authenticated && state.auth().complete()) {
            authenticated = true;
            server.authenticated();
        }
        if (!closeRequested) {
            return;
        }
        boolean drained;
        synchronized (output) {
            closeWhenDrained = true;
            drained = drainedLocked();
        }
        if (drained) {
            server.closeLater(this, null);
        }
    }

    /** Nothing queued, and the transport wrote out what it held (TLS records); a broken socket counts. */
    private boolean drainedLocked() {
        if (!output.isEmpty()) {
            return false;
        }
        try {
            return transport.flush();
        } catch (IOException e) {
            server.closeLater(this, null);
            return true;
        }
    }

    @Override
    public void closeAfterFlush() {
        closeRequested = true;
    }

    @Override
    public void startKeepalive() {
        keepalive = true;
    }

    /** Any packet from the client proves it alive. */
    void received() {
        lastReceived = System.nanoTime();
        unansweredPings = 0;
    }

    /**
     * Decides, once per tick, whether to PING this client or give up on it.
     *
     * @return true when the client stayed silent through every PING and must be closed
     */
    boolean keepaliveDue(long now, int intervalSeconds, int count, Runnable ping) {
        if (!keepalive || intervalSeconds <= 0) {
            return false;
        }
        long idle = now - lastReceived;
        if (idle < (unansweredPings + 1L) * intervalSeconds * 1_000_000_000L) {
            return false;
        }
        if (unansweredPings >= count) {
            return true;
        }
        unansweredPings++;
        ping.run();
        return false;
    }

    /** Marks the session closed; the server closes the channel and releases the state. */
    boolean markClosed() {
        synchronized (output) {
            if (closed) {
                return false;
            }
            closed = true;
            output.clear();
            if (activeLayer != null) {
                activeLayer.close();
            }
            return true;
        }
    }
}
