package org.jvirtd.storage.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The channel behind vol-upload and vol-download: at most {@code limit} bytes from the volume's current
 * position, and one release of the volume when closed.
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

    @Override
    public SeekableByteChannel position(long newPosition) {
        throw new UnsupportedOperationException("a volume stream moves forward only");
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
        try {
            if (write && channel instanceof java.nio.channels.FileChannel file) {
                file.force(true);
            }
            channel.close();
        } finally {
            onClose.run();
        }
    }

    private void check() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
