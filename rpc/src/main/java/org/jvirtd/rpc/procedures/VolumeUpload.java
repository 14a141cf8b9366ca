package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.StreamHandle;
import org.jvirtd.rpc.wire.Header;

/**
 * The daemon's end of vol-upload: each STREAM CONTINUE packet is written to the volume as it arrives;
 * STREAM OK closes (flushes) the volume and is confirmed, a failure answers STREAM ERROR and drops the
 * rest of the stream.
 */
final class VolumeUpload implements StreamHandle {
    private static final System.Logger LOG = System.getLogger(VolumeUpload.class.getName());

    private final ClientState client;
    private final Header call;
    private final WritableByteChannel volume;
    private boolean failed;

    VolumeUpload(ClientState client, Header call, WritableByteChannel volume) {
        this.client = client;
        this.call = call;
        this.volume = volume;
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
