package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.channels.ByteChannel;

/** The byte stream of one client: the socket itself, or TLS over it. */
interface Transport extends ByteChannel {
    /** libvirt's virClientTransport numbers, as the admin API reports them. */
    int UNIX = 0;
    int TCP = 1;
    int TLS = 2;

    /** UNIX, TCP or TLS. */
    int kind();

    /**
     * Writes out bytes the transport holds itself (TLS records not yet taken by the socket).
     *
     * @return true when nothing is left
     */
    default boolean flush() throws IOException {
        return true;
    }

    /** Passes file descriptors to the peer (SCM_RIGHTS); only a unix socket can. */
    default void sendFds(int[] fds) throws IOException {
        throw new IOException("file descriptors can only be passed over a unix socket");
    }

    /** Plaintext or records already taken from the socket but not handed out yet. */
    default boolean hasBufferedInput() {
        return false;
    }

    /** The key size of the TLS cipher in bits (SASL's external SSF), 0 without TLS. */
    default int keyBits() {
        return 0;
    }

    /** The client certificate's distinguished name once the TLS handshake checked it, else null. */
    default String peerDistinguishedName() {
        return null;
    }
}
