package org.jvirtd.rpc.wire;

import java.nio.ByteBuffer;

import org.jvirtd.rpc.xdr.XdrException;

/**
 * Cuts a byte stream into packets. The length word is checked before the packet's buffer is
 * allocated: a length below the header size or above 32 MiB is refused with nothing reserved.
 */
public final class PacketFramer {
    private final ByteBuffer lengthWord = ByteBuffer.allocate(Protocol.LENGTH_WORD);
    private ByteBuffer body;

    /**
     * Takes bytes from {@code source} and returns the next complete packet body (without the length
     * word), or null when {@code source} ran out first; call again with more bytes.
     *
     * @throws XdrException when a length word is out of bounds
     */
    public byte[] next(ByteBuffer source) {
        if (body == null) {
            while (lengthWord.hasRemaining() && source.hasRemaining()) {
                lengthWord.put(source.get());
            }
            if (lengthWord.hasRemaining()) {
                return null;
            }
            long length = lengthWord.getInt(0) & 0xffffffffL;
            body = ByteBuffer.allocate(checkedBodyLength(length));
        }
        int count = Math.min(body.remaining(), source.remaining());
        body.put(body.position(), source, source.position(), count);
        body.position(body.position() + count);
        source.position(source.position() + count);
        if (body.hasRemaining()) {
            return null;
        }
        byte[] complete = body.array();
        body = null;
        lengthWord.clear();
        return complete;
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
