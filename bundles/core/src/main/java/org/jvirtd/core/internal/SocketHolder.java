package org.jvirtd.core.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jvirtd.core.listen.HeldSockets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Holds the listening sockets of a stopped RPC server for the next one (see {@link HeldSockets}). It
 * lives in core, which an update of the rpc bundle leaves running; a socket is held for at most
 * {@value #HOLD_MILLIS} ms (an update takes well under that), and all of them close when core stops.
 * Immediate: a delayed component would be disposed of as soon as the stopping rpc bundle let go of it,
 * closing the very sockets it is to hold.
 */
@Component(service = HeldSockets.class, immediate = true)
public final class SocketHolder implements HeldSockets {
    static final long HOLD_MILLIS = 30_000;
    private static final System.Logger LOG = System.getLogger(SocketHolder.class.getName());

    private record Held(ServerSocketChannel channel, Path socketFile, ScheduledFuture<?> expiry) {
    }

    private final long holdMillis;
    private final Map<SocketAddress, Held> held = new HashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    public SocketHolder() {
        this(HOLD_MILLIS);
    }

    SocketHolder(long holdMillis) {
        this.holdMillis = holdMillis;
    }

    @Override
    public synchronized ServerSocketChannel take(SocketAddress address) {
        Held entry = held.remove(address);
        if (entry == null) {
            return null;
        }
        entry.expiry().cancel(false);
        return entry.channel();
    }

    @Override
    public synchronized void hold(SocketAddress address, ServerSocketChannel channel, Path socketFile) {
        if (closed || !channel.isOpen()) {
            close(channel, socketFile);
            return;
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "jvirtd-held-sockets");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
        ScheduledFuture<?> expiry = timer.schedule(() -> expire(address, channel), holdMillis, TimeUnit.MILLISECONDS);
        Held previous = held.put(address, new Held(channel, socketFile, expiry));
        if (previous != null && previous.channel() != channel) {
            previous.expiry().cancel(false);
            close(previous.channel(), null);
        }
    }

    /** The sockets held now (for tests). */
    synchronized int size() {
        return held.size();
    }

    private synchronized void expire(SocketAddress address, ServerSocketChannel channel) {
        Held entry = held.get(address);
        if (entry != null && entry.channel() == channel) {
            held.remove(address);
            LOG.log(System.Logger.Level.WARNING, "no RPC server took {0} back within {1} ms; closing it", address,
                holdMillis);
            close(channel, entry.socketFile());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        List<Held> all = new ArrayList<>(held.values());
        held.clear();
        for (Held entry : all) {
            entry.expiry().cancel(false);
            close(entry.channel(), entry.socketFile());
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static void close(ServerSocketChannel channel, Path socketFile) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a listening socket", e);
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "removing socket " + socketFile, e);
            }
        }
    }
}
