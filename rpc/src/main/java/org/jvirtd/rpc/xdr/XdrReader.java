package org.jvirtd.rpc.xdr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads XDR (RFC 4506) from a byte range, accepting exactly what libvirtd's decoder (glibc/libtirpc's
 * {@code xdr_*} routines) accepts. Every variable-length item is checked against its bound and against the
 * bytes that are actually left before anything is allocated, so a hostile length word can never make the
 * daemon reserve memory it was not sent.
 *
 * <p>Where the XDR routines are lenient, so is this reader, because clients that encode the protocol
 * themselves rely on it:
 * <ul>
 * <li>a bool, and the discriminant of an optional ({@code type *name}), is true for any non-zero word
 * ({@code xdr_bool});
 * <li>an enum is any int ({@code xdr_enum}); range checks belong to the caller, with libvirt's errors;
 * <li>the padding bytes after opaque and string data are skipped unread ({@code xdr_opaque});
 * <li>a string is a C string: it ends at its first NUL byte ({@code xdr_string} hands libvirt a
 * {@code char *}), though all its bytes are consumed;
 * <li>a string or array length above its bound in remote_protocol.x is refused before anything is read,
 * as is any item the packet is too short for;
 * <li>bytes after a payload's last item are ignored: libvirt decodes arguments and never looks further.
 * </ul>
 */
public final class XdrReader {
    private final byte[] data;
    private int pos;
    private final int end;

    public XdrReader(byte[] data) {
        this(data, 0, data.length);
    }

    public XdrReader(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the buffer");
        }
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(long count) {
        if (count > end - pos) {
            throw new XdrException("need " + count + " bytes, " + (end - pos) + " left");
        }
    }

    public int readInt() {
        need(4);
        int value = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
            | (data[pos + 3] & 0xff);
        pos += 4;
        return value;
    }

    /** An XDR unsigned int, widened so values above 2^31 stay positive. */
    public long readUnsignedInt() {
        return readInt() & 0xffffffffL;
    }

    public long readHyper() {
        long high = readInt() & 0xffffffffL;
        long low = readInt() & 0xffffffffL;
        return (high << 32) | low;
    }

    /** An XDR bool: any non-zero word is true, as {@code xdr_bool} decodes it. */
    public boolean readBool() {
        return readInt() != 0;
    }

    /** A length word checked against a bound and the bytes left (times the smallest element size). */
    private int readLength(long max, int minElementSize, String what) {
        long length = readUnsignedInt();
        if (length > max) {
            throw new XdrException(what + " length " + length + " exceeds maximum " + max);
        }
        need(length * minElementSize);
        return (int) length;
    }

    public byte[] readFixedOpaque(int length) {
        need(padded(length));
        byte[] bytes = new byte[length];
        System.arraycopy(data, pos, bytes, 0, length);
        pos += padded(length);
        return bytes;
    }

    public byte[] readOpaque(long max) {
        int length = readLength(max, 1, "opaque");
        return readFixedOpaque(length);
    }

    /** An XDR string, read as the C string libvirt sees: up to its first NUL byte. */
    public String readString(long max) {
        int length = readLength(max, 1, "string");
        need(padded(length));
        int stop = pos;
        while (stop < pos + length && data[stop] != 0) {
            stop++;
        }
        String value = new String(data, pos, stop - pos, StandardCharsets.UTF_8);
        pos += padded(length);
        return value;
    }

    /** An XDR optional ({@code type *name}): a bool, then the value when it is true. */
    public <T> T readOptional(Function<XdrReader, T> element) {
        return readBool() ? element.apply(this) : null;
    }

    /**
     * A variable array of at most {@code max} elements, each at least {@code minElementSize} bytes on
     * the wire (4 for anything built from ints and strings).
     */
    public <T> List<T> readArray(long max, int minElementSize, Function<XdrReader, T> element) {
        int count = readLength(max, minElementSize, "array");
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(element.apply(this));
        }
        return items;
    }

    public UUID readUuid() {
        need(16);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (data[pos + i] & 0xff);
            low = (low << 8) | (data[pos + 8 + i] & 0xff);
        }
        pos += 16;
        return new UUID(high, low);
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
