package org.jvirtd.rpc.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

import org.jvirtd.rpc.xdr.XdrException;

/**
 * Cuts a byte stream into packets. The length word is checked before the packet's buffer is
 * allocated: a length below the header size or above 32 MiB is refused with nothing reserved.
 */
public final class PacketFramer {
    private final ByteBuffer lengthWord = ByteBuffer.allocate(Protocol.LENGTH_WORD);
    private ByteBuffer body;

    /**
     * Reads what the channel has and returns the next complete packet body (without the length
     * word), or null when more bytes are needed.
     *
     * @throws java.io.EOFException when the peer closed the stream
     * @throws XdrException when the length word is out of bounds
     */
    public byte[] read(ReadableByteChannel channel) throws IOException {
        if (body == null) {
            if (channel.read(lengthWord) < 0) {
                throw new java.io.EOFException();
            }
            if (lengthWord.hasRemaining()) {
                return null;
            }
            long length = lengthWord.getInt(0) & 0xffffffffL;
            body = ByteBuffer.allocate(checkedBodyLength(length));
        }
        if (body.hasRemaining() && channel.read(body) < 0) {
            throw new java.io.EOFException();
        }
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
