package org.jvirtd.rpc.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jvirtd.rpc.xdr.XdrException;

/**
 * Cuts a byte stream into packets. The length word is checked before anything is allocated: a length below
 * the header size or above 32 MiB is refused with nothing reserved. The packet's buffer then grows with the
 * bytes that actually arrive (from 64 KiB, doubling up to the announced length), so a client that announces
 * 32 MiB and sends a trickle holds a trickle's worth of the daemon's memory, not 32 MiB.
 */
public final class PacketFramer {
    static final int FIRST_RESERVE = 64 * 1024;

    private final ByteBuffer lengthWord = ByteBuffer.allocate(Protocol.LENGTH_WORD);
    private byte[] body;
    private int expected;
    private int filled;
    private int toSkip;

    /**
     * Takes bytes from {@code source} and returns the next complete packet body (without the length
     * word), or null when {@code source} ran out first; call again with more bytes.
     *
     * @throws XdrException when a length word is out of bounds
     */
    public byte[] next(ByteBuffer source) {
        while (toSkip > 0 && source.hasRemaining()) {
            source.get();
            toSkip--;
        }
        if (toSkip > 0) {
            return null;
        }
        if (body == null) {
            while (lengthWord.hasRemaining() && source.hasRemaining()) {
                lengthWord.put(source.get());
            }
            if (lengthWord.hasRemaining()) {
                return null;
            }
            long length = lengthWord.getInt(0) & 0xffffffffL;
            expected = checkedBodyLength(length);
            body = new byte[Math.min(expected, FIRST_RESERVE)];
            filled = 0;
        }
        while (filled < expected && source.hasRemaining()) {
            if (filled == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(expected, 2L * body.length));
            }
            int count = Math.min(body.length - filled, source.remaining());
            source.get(body, filled, count);
            filled += count;
        }
        if (filled < expected) {
            return null;
        }
        byte[] complete = body;
        body = null;
        lengthWord.clear();
        return complete;
    }

    /**
     * Drops the next {@code count} bytes before the next packet: the one byte per descriptor that a client
     * sends after a CALL_WITH_FDS to carry each descriptor (which this server does not take).
     *
     * @throws XdrException for a count libvirt would refuse (above VIR_NET_MESSAGE_NUM_FDS_MAX, 32)
     */
    public void skipDescriptorBytes(int count) {
        if (count < 0 || count > Protocol.FDS_MAX) {
            throw new XdrException("Too many FDs received: " + Integer.toUnsignedString(count));
        }
        toSkip += count;
    }

    /** The bytes held for the packet being read (for tests of the growth). */
    int reservedBytes() {
        return body == null ? 0 : body.length;
    }

    /** The body length for a length word, or an error naming what is wrong with it. */
    static int checkedBodyLength(long length) {
        if (length < Protocol.LENGTH_WORD + Protocol.HEADER_SIZE) {
            throw new XdrException("packet length " + length + " is smaller than the header");
        }
        if (length - Protocol.LENGTH_WORD > Protocol.MESSAGE_MAX) {
            throw new XdrException("packet " + length + " bytes received from client too large, limit is "
                + Protocol.MESSAGE_MAX);
        }
        return (int) (length - Protocol.LENGTH_WORD);
    }
}
