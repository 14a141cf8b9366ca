package org.jvirtd.storage.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The channel behind vol-upload and vol-download: at most {@code limit} bytes from the volume's current
 * position, and one release of the volume when closed. An upload may move its position forward over a
 * hole of a sparse stream; closing it then extends a volume that ends before that position.
 */
final class VolumeStream implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final boolean write;
    private final Runnable onClose;
    private long left;
    private boolean closed;

    VolumeStream(SeekableByteChannel channel, long limit, boolean write, Runnable onClose) {
        this.channel = channel;
        this.left = limit;
        this.write = write;
        this.onClose = onClose;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        check();
        if (write) {
            throw new IllegalStateException("an upload stream cannot be read");
        }
        if (left <= 0) {
            return -1;
        }
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + (int) Math.min(window.remaining(), left));
        int n = channel.read(window);
        if (n > 0) {
            dst.position(dst.position() + n);
            left -= n;
        }
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        check();
        if (!write) {
            throw new NonWritableChannelException();
        }
        if (src.remaining() > left) {
            throw new IOException("Request exceeds the upload length by " + (src.remaining() - left) + " bytes");
        }
        int n = channel.write(src);
        left -= n;
        return n;
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    /** Skips forward over a hole of a sparse upload, leaving the skipped bytes unwritten. */
    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        check();
        if (!write) {
            throw new UnsupportedOperationException("a download stream does not skip");
        }
        long skip = newPosition - channel.position();
        if (skip < 0) {
            throw new UnsupportedOperationException("a volume stream moves forward only");
        }
        if (skip > left) {
            throw new IOException("Request exceeds the upload length by " + (skip - left) + " bytes");
        }
        channel.position(newPosition);
        left -= skip;
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new UnsupportedOperationException("a volume stream cannot truncate");
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            if (write) {
                extendOverTrailingHole();
            }
            if (write && channel instanceof java.nio.channels.FileChannel file) {
                file.force(true);
            }
        } finally {
            onClose.run();
        }
    }

    /**
     * A hole at the end of an upload still belongs to the data: one zero byte at its last offset gives
     * the volume that length and leaves the rest of the hole unallocated.
     */
    private void extendOverTrailingHole() throws IOException {
        long end = channel.position();
        if (end > channel.size()) {
            channel.position(end - 1);
            ByteBuffer zero = ByteBuffer.allocate(1);
            while (zero.hasRemaining()) {
                channel.write(zero);
            }
        }
    }

    private void check() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
