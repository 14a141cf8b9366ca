package org.jvirtd.rpc.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.function.BiConsumer;

/** Writes XDR (RFC 4506) into a growing buffer. */
public final class XdrWriter {
    private byte[] buffer;
    private int size;

    public XdrWriter() {
        this(256);
    }

    public XdrWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful. */
    public byte[] buffer() {
        return buffer;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    public XdrWriter writeInt(int value) {
        ensure(4);
        buffer[size] = (byte) (value >>> 24);
        buffer[size + 1] = (byte) (value >>> 16);
        buffer[size + 2] = (byte) (value >>> 8);
        buffer[size + 3] = (byte) value;
        size += 4;
        return this;
    }

    /** Overwrites the int at a position written earlier (a length word filled in at the end). */
    public void putInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    public XdrWriter writeUnsignedInt(long value) {
        return writeInt((int) value);
    }

    public XdrWriter writeHyper(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    public XdrWriter writeBool(boolean value) {
        return writeInt(value ? 1 : 0);
    }

    public XdrWriter writeFixedOpaque(byte[] bytes) {
        return writeFixedOpaque(bytes, 0, bytes.length);
    }

    public XdrWriter writeFixedOpaque(byte[] bytes, int offset, int length) {
        int padded = XdrReader.padded(length);
        ensure(padded);
        System.arraycopy(bytes, offset, buffer, size, length);
        Arrays.fill(buffer, size + length, size + padded, (byte) 0);
        size += padded;
        return this;
    }

    public XdrWriter writeOpaque(byte[] bytes) {
        writeInt(bytes.length);
        return writeFixedOpaque(bytes);
    }

    public XdrWriter writeString(String value) {
        return writeOpaque(value.getBytes(StandardCharsets.UTF_8));
    }

    public <T> XdrWriter writeOptional(T value, BiConsumer<XdrWriter, T> element) {
        writeBool(value != null);
        if (value != null) {
            element.accept(this, value);
        }
        return this;
    }

    public <T> XdrWriter writeArray(Collection<T> items, BiConsumer<XdrWriter, T> element) {
        writeInt(items.size());
        for (T item : items) {
            element.accept(this, item);
        }
        return this;
    }

    public XdrWriter writeUuid(UUID uuid) {
        writeInt((int) (uuid.getMostSignificantBits() >>> 32));
        writeInt((int) uuid.getMostSignificantBits());
        writeInt((int) (uuid.getLeastSignificantBits() >>> 32));
        return writeInt((int) uuid.getLeastSignificantBits());
    }
}
