package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.StreamHole;
import org.jvirtd.rpc.xdr.XdrReader;

/**
 * The daemon's end of vol-upload: each STREAM CONTINUE packet is written to the volume as it arrives, and
 * on a sparse upload each STREAM_HOLE packet skips that many bytes; STREAM OK closes (flushes) the volume
 * and is confirmed, a failure answers STREAM ERROR and drops the rest of the stream.
 */
final class VolumeUpload implements StreamHandle {
    private static final System.Logger LOG = System.getLogger(VolumeUpload.class.getName());

    private final ClientState client;
    private final Header call;
    private final WritableByteChannel volume;
    private final boolean sparse;
    private boolean failed;

    /** @param sparse whether the call asked for a sparse stream, the only kind that may carry holes */
    VolumeUpload(ClientState client, Header call, WritableByteChannel volume, boolean sparse) {
        this.client = client;
        this.call = call;
        this.volume = volume;
        this.sparse = sparse;
    }

    @Override
    public synchronized void receive(byte[] data, int offset, int length) {
        if (failed) {
            return;
        }
        try {
            ByteBuffer chunk = ByteBuffer.wrap(data, offset, length);
            while (chunk.hasRemaining()) {
                volume.write(chunk);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public synchronized void hole(byte[] data, int offset, int length) {
        if (failed) {
            return;
        }
        try {
            if (!sparse) {
                throw VirtErrors.operationInvalid(ErrorDomain.STREAMS, "Unexpected stream hole");
            }
            skip(StreamHole.read(new XdrReader(data, offset, length)).length());
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Leaves the hole's bytes unwritten: a sparse upload's channel moves forward (StoragePools.upload). */
    private void skip(long length) throws IOException {
        if (!(volume instanceof SeekableByteChannel seekable)) {
            throw VirtErrors.noSupport("sparse upload to this volume");
        }
        seekable.position(Math.addExact(seekable.position(), length));
    }

    @Override
    public synchronized void finish() {
        if (failed) {
            return;
        }
        client.streams().remove(call.serial());
        StreamReplies.background("jvirtd-vol-upload-finish", () -> {
            try {
                volume.close();
                client.outbox().send(StreamReplies.confirm(call));
            } catch (IOException | RuntimeException e) {
                client.outbox().send(StreamReplies.error(call, e));
            }
        });
    }

    @Override
    public synchronized void abort() {
        failed = true;
        closeQuietly();
        client.outbox().send(StreamReplies.confirm(call));
    }

    private void fail(Exception e) {
        LOG.log(System.Logger.Level.INFO, "volume upload failed: {0}", e.getMessage());
        failed = true;
        client.streams().remove(call.serial());
        closeQuietly();
        client.outbox().send(StreamReplies.error(call, e));
    }

    private void closeQuietly() {
        try {
            volume.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing an aborted upload", e);
        }
    }
}
