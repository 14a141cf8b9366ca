package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.Protocol;

/**
 * The daemon's end of vol-download: once the call's reply is out, a thread reads the volume and sends it
 * in STREAM CONTINUE packets of at most 262120 bytes, then an empty one (end of data); the client's
 * STREAM OK is confirmed. At most {@link #WINDOW} packets wait in the client's queue, so a slow reader
 * holds the volume back instead of filling the daemon's memory.
 */
final class VolumeDownload implements StreamHandle {
    private static final System.Logger LOG = System.getLogger(VolumeDownload.class.getName());
    private static final int WINDOW = 8;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ClientState client;
    private final Header call;
    private final ReadableByteChannel volume;
    private volatile boolean aborted;

    VolumeDownload(ClientState client, Header call, ReadableByteChannel volume) {
        this.client = client;
        this.call = call;
        this.volume = volume;
    }

    @Override
    public void replied(ByteBuffer reply) {
        StreamReplies.background("jvirtd-vol-download", () -> pump(reply));
    }

    private void pump(ByteBuffer reply) {
        ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
        queued.add(reply);
        try (volume) {
            if (!awaitRoom(queued, 1)) {
                return;
            }
            int length;
            do {
                byte[] chunk = new byte[Protocol.STREAM_CHUNK_MAX];
                length = fill(chunk);
                if (!awaitRoom(queued, WINDOW)) {
                    return;
                }
                ByteBuffer packet = StreamReplies.data(call, chunk, length);
                queued.add(packet);
                client.outbox().send(packet);
            } while (length > 0);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "volume download failed: {0}", e.getMessage());
            if (client.streams().remove(call.serial()) != null && !aborted) {
                client.outbox().send(StreamReplies.error(call, e));
            }
        }
    }

    /** Reads a whole chunk unless the data ends first; 0 at the end. */
    private int fill(byte[] chunk) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        while (buffer.hasRemaining() && !aborted) {
            if (volume.read(buffer) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    /**
     * Waits until fewer than {@code limit} sent packets (the reply first) are still unwritten. The session
     * writes the very buffers it was given, so a buffer with nothing remaining has gone to the socket.
     *
     * @return false when the client aborted or went away
     */
    private boolean awaitRoom(ArrayDeque<ByteBuffer> queued, int limit) {
        while (!aborted) {
            while (!queued.isEmpty() && !queued.peekFirst().hasRemaining()) {
                queued.pollFirst();
            }
            if (queued.size() < limit) {
                return true;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return false;
    }

    @Override
    public void receive(byte[] data, int offset, int length) {
        LOG.log(System.Logger.Level.DEBUG, "ignoring data a client sent on a download stream");
    }

    @Override
    public void finish() {
        client.streams().remove(call.serial());
        client.outbox().send(StreamReplies.confirm(call));
    }

    @Override
    public void abort() {
        aborted = true;
        client.outbox().send(StreamReplies.confirm(call));
    }
}
