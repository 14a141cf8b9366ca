package org.jvirtd.rpc.wire;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * One whole packet: its header and the bytes of its payload. {@code body} is the packet without its
 * length word, so the payload starts at offset 24.
 */
public record Packet(Header header, byte[] body) {

    /** Parses the bytes after the length word; the header must be all there. */
    public static Packet parse(byte[] body) {
        if (body.length < Protocol.HEADER_SIZE) {
            throw new XdrException("packet of " + (body.length + Protocol.LENGTH_WORD) + " bytes has no full header");
        }
        return new Packet(Header.read(new XdrReader(body, 0, Protocol.HEADER_SIZE)), body);
    }

    public int payloadLength() {
        return body.length - Protocol.HEADER_SIZE;
    }

    public XdrReader payload() {
        return new XdrReader(body, Protocol.HEADER_SIZE, payloadLength());
    }

    /**
     * Encodes a whole packet, length word included, ready for the socket.
     *
     * @throws XdrException when the packet would exceed the 32 MiB limit
     */
    public static ByteBuffer encode(Header header, Consumer<XdrWriter> payload) {
        XdrWriter out = new XdrWriter(64);
        out.writeInt(0);
        header.write(out);
        if (payload != null) {
            payload.accept(out);
        }
        if (out.size() - Protocol.LENGTH_WORD > Protocol.MESSAGE_MAX) {
            throw new XdrException("packet of " + out.size() + " bytes exceeds the maximum of "
                + (Protocol.MESSAGE_MAX + Protocol.LENGTH_WORD));
        }
        out.putInt(0, out.size());
        return ByteBuffer.wrap(out.buffer(), 0, out.size());
    }

    /** A stream data packet: raw bytes, no XDR length prefix. */
    public static ByteBuffer encodeRaw(Header header, byte[] data, int offset, int length) {
        XdrWriter out = new XdrWriter(Protocol.LENGTH_WORD + Protocol.HEADER_SIZE + length);
        out.writeInt(Protocol.LENGTH_WORD + Protocol.HEADER_SIZE + length);
        header.write(out);
        out.writeFixedOpaque(data, offset, length);
        return ByteBuffer.wrap(out.buffer(), 0, Protocol.LENGTH_WORD + Protocol.HEADER_SIZE + length);
    }
}
