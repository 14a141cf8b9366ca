package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;

/** How protocol code reaches the transport of one client. */
public interface Outbox {
    /** Queues a whole packet for the client; safe from any thread. */
    void send(ByteBuffer packet);

    /**
     * Queues a whole packet (a REPLY_WITH_FDS) and, once it is written, passes the descriptors as SCM_RIGHTS
     * (one byte each, as libvirt sends them), then closes them here; fails where the transport cannot.
     */
    default void sendWithFds(ByteBuffer packet, int[] fds) {
        throw new UnsupportedOperationException("no file descriptors over this connection");
    }

    /** Closes the client once everything queued so far has been written (CONNECT_CLOSE). */
    void closeAfterFlush();

    /** Starts the daemon's keepalive PINGs for this client (it probed VIR_DRV_FEATURE_PROGRAM_KEEPALIVE). */
    void startKeepalive();
}
