package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.StreamHole;

/**
 * The daemon's end of vol-download: once the call's reply is out, a thread reads the volume and sends it
 * in STREAM CONTINUE packets of at most 262120 bytes, then an empty one (end of data); the client's
 * STREAM OK is confirmed. On a sparse stream every all-zero 64 KiB block (Java cannot ask the file system
 * where its holes are) joins a hole sent as one STREAM_HOLE packet instead of its zeros. At most
 * {@link #WINDOW} packets wait in the client's queue, so a slow reader holds the volume back instead of
 * filling the daemon's memory.
 */
final class VolumeDownload implements StreamHandle {
    private static final System.Logger LOG = System.getLogger(VolumeDownload.class.getName());
    private static final int WINDOW = 8;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The unit of hole detection. */
    static final int BLOCK = 64 * 1024;
    private static final byte[] ZEROS = new byte[BLOCK];

    private final ClientState client;
    private final Header call;
    private final ReadableByteChannel volume;
    private final boolean sparse;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    /** Data read but not yet sent, and the length of the hole read but not yet sent: the pump thread's. */
    private final byte[] data = new byte[Protocol.STREAM_CHUNK_MAX];
    private int buffered;
    private long hole;
    private volatile boolean aborted;

    /** @param sparse whether the call asked for a sparse stream, the only kind a client takes holes on */
    VolumeDownload(ClientState client, Header call, ReadableByteChannel volume, boolean sparse) {
        this.client = client;
        this.call = call;
        this.volume = volume;
        this.sparse = sparse;
    }

    @Override
    public void replied(ByteBuffer reply) {
        StreamReplies.background("jvirtd-vol-download", () -> pump(reply));
    }

    private void pump(ByteBuffer reply) {
        queued.add(reply);
        try (volume) {
            if (!awaitRoom(1)) {
                return;
            }
            byte[] block = new byte[BLOCK];
            int length;
            while ((length = fill(block)) > 0) {
                if (sparse && Arrays.equals(block, 0, length, ZEROS, 0, length)) {
                    if (!flushData()) {
                        return;
                    }
                    hole += length;
                } else if (!flushHole() || !addData(block, length)) {
                    return;
                }
            }
            if (flushData() && flushHole()) {
                send(StreamReplies.data(call, data, 0));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "volume download failed: {0}", e.getMessage());
            if (client.streams().remove(call.serial()) != null && !aborted) {
                client.outbox().send(StreamReplies.error(call, e));
            }
        }
    }

    /** Buffers a block of data, sending each packet it fills; false when the client is gone. */
    private boolean addData(byte[] block, int length) {
        for (int at = 0; at < length; ) {
            int n = Math.min(length - at, data.length - buffered);
            System.arraycopy(block, at, data, buffered, n);
            buffered += n;
            at += n;
            if (buffered == data.length && !flushData()) {
                return false;
            }
        }
        return true;
    }

    /** Sends the buffered data, if any, as one STREAM CONTINUE packet; false when the client is gone. */
    private boolean flushData() {
        int length = buffered;
        buffered = 0;
        return length == 0 || send(StreamReplies.data(call, data, length));
    }

    /** Sends the pending hole, if any, as one STREAM_HOLE packet; false when the client is gone. */
    private boolean flushHole() {
        long length = hole;
        hole = 0;
        return length == 0 || send(new StreamHole(length, 0).encode(call));
    }

    /** Queues a packet once there is room for it; false when the client aborted or went away. */
    private boolean send(ByteBuffer packet) {
        if (!awaitRoom(WINDOW)) {
            return false;
        }
        queued.add(packet);
        client.outbox().send(packet);
        return true;
    }

    /** Reads a whole block unless the data ends first; 0 at the end. */
    private int fill(byte[] block) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(block);
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
    private boolean awaitRoom(int limit) {
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
    public void hole(byte[] data, int offset, int length) {
        LOG.log(System.Logger.Level.DEBUG, "ignoring a hole a client sent on a download stream");
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
