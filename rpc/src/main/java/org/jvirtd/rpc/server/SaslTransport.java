package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jvirtd.platform.sasl.SaslException;
import org.jvirtd.platform.sasl.SaslServerSession;

/**
 * A client's stream under the security layer its SASL mechanism negotiated (DIGEST-MD5's or GSSAPI's
 * integrity and encryption): plaintext is encoded in pieces of at most the library's output buffer, and
 * whatever arrives is handed to the library to decode, which keeps a partial record until the rest comes.
 * It takes over a socket in two steps: reading at once, when the reply completing the exchange is queued
 * (the client answers that reply encoded, possibly before the writer thread gets past its last byte),
 * writing once that reply is out ({@link #encodeWrites}).
 */
final class SaslTransport implements Transport {
    private static final int READ_CHUNK = 8192;

    private final Transport wire;
    private final SaslServerSession layer;
    private final int maxPlain;
    private final ByteBuffer rawIn = ByteBuffer.allocate(READ_CHUNK);
    private ByteBuffer decoded = ByteBuffer.allocate(0);
    private ByteBuffer encoded = ByteBuffer.allocate(0);
    private volatile boolean encodeWrites;

    SaslTransport(Transport wire, SaslServerSession layer) throws SaslException {
        this.wire = wire;
        this.layer = layer;
        this.maxPlain = Math.max(1, layer.maxOutput());
    }

    /** From now on what is written goes through the layer. */
    void encodeWrites() {
        encodeWrites = true;
    }

    @Override
    public int kind() {
        return wire.kind();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!decoded.hasRemaining()) {
            rawIn.clear();
            int n = wire.read(rawIn);
            if (n <= 0) {
                return n;
            }
            try {
                decoded = ByteBuffer.wrap(layer.decode(rawIn.array(), 0, n));
            } catch (SaslException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        int count = Math.min(dst.remaining(), decoded.remaining());
        ByteBuffer slice = decoded.slice();
        slice.limit(count);
        dst.put(slice);
        decoded.position(decoded.position() + count);
        return count;
    }

    @Override
    public boolean hasBufferedInput() {
        return decoded.hasRemaining() || wire.hasBufferedInput();
    }

    /** Encodes one piece of {@code src} once the previous piece is on the wire; 0 while it is not. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!encodeWrites) {
            return wire.write(src);
        }
        if (!flush()) {
            return 0;
        }
        int count = Math.min(src.remaining(), maxPlain);
        byte[] plain = new byte[count];
        src.get(plain);
        try {
            encoded = ByteBuffer.wrap(layer.encode(plain, 0, count));
        } catch (SaslException e) {
            throw new IOException(e.getMessage(), e);
        }
        flush();
        return count;
    }

    @Override
    public boolean flush() throws IOException {
        while (encoded.hasRemaining()) {
            if (wire.write(encoded) == 0) {
                return false;
            }
        }
        return wire.flush();
    }

    @Override
    public boolean isOpen() {
        return wire.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            wire.close();
        } finally {
            layer.close();
        }
    }

    @Override
    public int keyBits() {
        return wire.keyBits();
    }

    @Override
    public String peerDistinguishedName() {
        return wire.peerDistinguishedName();
    }
}
