package org.jvirtd.rpc.procedures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A volume in memory for the stream fuzz target: a seekable channel of at most {@code capacity} bytes whose
 * writes past it fail with "volume full", as a full disk would.
 */
final class MemoryVolume implements SeekableByteChannel {
    static final String FULL = "volume full";

    private final byte[] bytes;
    private long position;
    private int size;
    private boolean open = true;

    MemoryVolume(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** What was written, holes as zeros, up to the furthest byte written. */
    byte[] content() {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException("an upload only writes");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int count = src.remaining();
        if (position > bytes.length - count) {
            throw new IOException(FULL);
        }
        src.get(bytes, (int) position, count);
        position += count;
        size = (int) Math.max(size, position);
        return count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new UnsupportedOperationException("an upload never truncates");
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
