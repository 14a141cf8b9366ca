package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a client's non-blocking socket with the JDK's SSLEngine. The handshake runs inside
 * {@link #read}; once it is done the client's certificate DN is checked against tls_allowed_dn_list and,
 * as libvirtd does, the single byte 1 tells the client it was accepted. Reads happen on the selector
 * thread; writes (and handshake records) go out under one lock.
 */
final class TlsTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(TlsTransport.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte ACCEPTED = 1;

    private final SocketChannel channel;
    private final TlsContext context;
    private final SSLEngine engine;
    private final Runnable wantWrite;
    private final Object outbound = new Object();
    /** Records from the socket, in write mode. */
    private ByteBuffer netIn;
    /** Decrypted bytes not handed out yet, in write mode. */
    private ByteBuffer appIn;
    /** Records not yet taken by the socket, in read mode. */
    private ByteBuffer netOut;
    private boolean moreRecords;
    private boolean inboundClosed;
    private volatile boolean established;
    private volatile String peerName;

    /**
     * @param wantWrite asks the selector to call back when the socket can take the records left over
     */
    TlsTransport(SocketChannel channel, TlsContext context, Runnable wantWrite) throws SSLException {
        this.channel = channel;
        this.context = context;
        this.wantWrite = wantWrite;
        this.engine = context.newEngine();
        engine.beginHandshake();
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        netOut = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
    }

    @Override
    public int kind() {
        return TLS;
    }

    /** From the suite's name (TLS_AES_256_GCM_SHA384, ..._CHACHA20_POLY1305_...), as gnutls reports key size. */
    @Override
    public int keyBits() {
        String suite = engine.getSession().getCipherSuite();
        if (suite.contains("_256_") || suite.contains("CHACHA20")) {
            return 256;
        }
        if (suite.contains("_128_")) {
            return 128;
        }
        return suite.contains("3DES") ? 168 : 0;
    }

    @Override
    public String peerDistinguishedName() {
        return peerName;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!netIn.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() + engine.getSession().getPacketBufferSize());
            netIn = bigger.put(netIn.flip());
        }
        int count = channel.read(netIn);
        try {
            unwrap();
            synchronized (outbound) {
                flushOut();
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
        int copied = drain(dst);
        if (copied == 0 && appIn.position() == 0 && (count < 0 || inboundClosed)) {
            return -1;
        }
        return copied;
    }

    @Override
    public boolean hasBufferedInput() {
        return appIn.position() > 0 || moreRecords;
    }

    private void unwrap() throws IOException {
        netIn.flip();
        moreRecords = false;
        try {
            while (netIn.hasRemaining() && !inboundClosed) {
                SSLEngineResult result = engine.unwrap(netIn, appIn);
                switch (result.getStatus()) {
                    case BUFFER_OVERFLOW -> {
                        if (appIn.position() > 0) {
                            moreRecords = true;
                            return;
                        }
                        appIn = ByteBuffer.allocate(appIn.capacity() + engine.getSession().getApplicationBufferSize());
                        continue;
                    }
                    case BUFFER_UNDERFLOW -> {
                        return;
                    }
                    case CLOSED -> inboundClosed = true;
                    case OK -> {
                    }
                }
                handshake(result.getHandshakeStatus());
            }
        } finally {
            netIn.compact();
        }
    }

    private void handshake(SSLEngineResult.HandshakeStatus status) throws IOException {
        SSLEngineResult.HandshakeStatus next = status;
        while (true) {
            switch (next) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    next = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> next = wrap(EMPTY).getHandshakeStatus();
                case FINISHED -> {
                    if (!established) {
                        accept();
                    }
                    next = engine.getHandshakeStatus();
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The handshake verified the chain; now the DN list decides, and the client hears the verdict. */
    private void accept() throws IOException {
        String name = null;
        if (context.verifiesClients()) {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            name = DistinguishedNames.of((X509Certificate) chain[0]);
            if (!context.allows(name)) {
                throw new SSLPeerUnverifiedException("client certificate " + name + " is not in tls_allowed_dn_list; "
                    + "closing the connection");
            }
        }
        peerName = name;
        established = true;
        // queued behind any post-handshake record (TLS 1.3 tickets) so both leave in one write
        ByteBuffer accepted = ByteBuffer.wrap(new byte[] {ACCEPTED});
        while (accepted.hasRemaining()) {
            wrap(accepted);
        }
    }

    private int drain(ByteBuffer dst) {
        appIn.flip();
        int count = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), count);
        dst.position(dst.position() + count);
        appIn.position(appIn.position() + count);
        appIn.compact();
        return count;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (outbound) {
            if (!established) {
                return 0;
            }
            flushOut();
            int written = 0;
            while (src.hasRemaining() && !netOut.hasRemaining()) {
                int before = src.remaining();
                if (wrap(src).getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new IOException("TLS session closed");
                }
                written += before - src.remaining();
                flushOut();
            }
            return written;
        }
    }

    @Override
    public boolean flush() throws IOException {
        synchronized (outbound) {
            flushOut();
            return !netOut.hasRemaining();
        }
    }

    /** Wraps into the pending records; the caller flushes them. */
    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        synchronized (outbound) {
            while (true) {
                netOut.compact();
                SSLEngineResult result;
                try {
                    result = engine.wrap(src, netOut);
                } finally {
                    netOut.flip();
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = grown(netOut, engine.getSession().getPacketBufferSize());
                    continue;
                }
                return result;
            }
        }
    }

    private void flushOut() throws IOException {
        while (netOut.hasRemaining() && channel.write(netOut) > 0) {
            // the socket took some; offer it the rest
        }
        if (netOut.hasRemaining()) {
            wantWrite.run();
        }
    }

    /** After a failed handshake the engine holds an alert; the client learns why instead of seeing EOF. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            synchronized (outbound) {
                wrap(EMPTY);
                flushOut();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "sending the TLS alert failed", e);
        }
    }

    /** A buffer in read mode with the same content and room for {@code extra} more bytes. */
    private static ByteBuffer grown(ByteBuffer readMode, int extra) {
        ByteBuffer bigger = ByteBuffer.allocate(readMode.remaining() + extra);
        bigger.put(readMode);
        return bigger.flip();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
