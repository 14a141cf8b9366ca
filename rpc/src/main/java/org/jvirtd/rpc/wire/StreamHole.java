package org.jvirtd.rpc.wire;

import java.nio.ByteBuffer;

import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The payload of a STREAM_HOLE packet (virNetStreamHole { hyper length; unsigned int flags; }): the next
 * {@code length} bytes of a sparse stream are a hole, sent as this one packet instead of as zeros.
 */
public record StreamHole(long length, int flags) {
    /** Encoded size: an 8-byte hyper and a 4-byte unsigned int. */
    public static final int SIZE = 12;

    public StreamHole {
        if (length < 0) {
            throw new XdrException("stream hole length " + length + " is negative");
        }
    }

    /**
     * Decodes a STREAM_HOLE payload.
     *
     * @throws XdrException when the payload is too short for a hole or its length is negative; bytes after
     *     the hole are ignored, as libvirt's decoder ignores them
     */
    public static StreamHole read(XdrReader in) {
        return new StreamHole(in.readHyper(), in.readInt());
    }

    public void write(XdrWriter out) {
        out.writeHyper(length).writeInt(flags);
    }

    /** The whole STREAM_HOLE CONTINUE packet, length word included, on the stream of the call {@code call}. */
    public ByteBuffer encode(Header call) {
        return Packet.encode(call.streamHole(), this::write);
    }
}
