package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;

/**
 * The daemon's end of virsh console: once the call's reply is out, a thread sends what the guest's device
 * says in STREAM CONTINUE packets, and what the client types goes to the device from a writer thread of its
 * own (a guest that stops reading holds back only its console). When the console ends on the daemon's side
 * (another client forced it over, the guest went away) the client gets the end of the data.
 */
final class ConsoleRelay implements StreamHandle {
    private static final System.Logger LOG = System.getLogger(ConsoleRelay.class.getName());
    /** How many packets may wait unwritten for a slow client before the relay stops reading the device. */
    private static final int WINDOW = 64;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final ClientState client;
    private final Header call;
    private final ConsoleStream console;
    private final ExecutorService writer;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private volatile boolean ended;

    ConsoleRelay(ClientState client, Header call, ConsoleStream console) {
        this.client = client;
        this.call = call;
        this.console = console;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "jvirtd-console-input");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void replied(ByteBuffer reply) {
        StreamReplies.background("jvirtd-console-output", () -> pump(reply));
    }

    private void pump(ByteBuffer reply) {
        queued.add(reply);
        byte[] buffer = new byte[4096];
        try {
            int n;
            while (awaitRoom() && (n = console.read(buffer)) > 0) {
                ByteBuffer packet = StreamReplies.data(call, Arrays.copyOf(buffer, n), n);
                queued.add(packet);
                client.outbox().send(packet);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "console read ended: {0}", e.getMessage());
        }
        if (!ended && client.streams().remove(call.serial()) != null) {
            client.outbox().send(StreamReplies.data(call, new byte[0], 0));
        }
        end();
    }

    /** Waits until fewer than {@link #WINDOW} sent packets are unwritten; false once the stream ended. */
    private boolean awaitRoom() {
        while (!ended) {
            while (!queued.isEmpty() && !queued.peekFirst().hasRemaining()) {
                queued.pollFirst();
            }
            if (queued.size() < WINDOW) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return false;
    }

    @Override
    public void receive(byte[] data, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
        writer.execute(() -> {
            try {
                console.write(copy, 0, copy.length);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "console write failed: {0}", e.getMessage());
            }
        });
    }

    @Override
    public void hole(byte[] data, int offset, int length) {
        LOG.log(System.Logger.Level.DEBUG, "ignoring a hole a client sent on a console stream");
    }

    @Override
    public void finish() {
        client.streams().remove(call.serial());
        end();
        client.outbox().send(StreamReplies.confirm(call));
    }

    @Override
    public void abort() {
        end();
        client.outbox().send(StreamReplies.confirm(call));
    }

    private void end() {
        ended = true;
        console.close();
        writer.shutdown();
    }
}
