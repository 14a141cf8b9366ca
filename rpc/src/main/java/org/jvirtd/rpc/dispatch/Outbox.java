package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;

/** How protocol code reaches the transport of one client. */
public interface Outbox {
    /** Queues a whole packet for the client; safe from any thread. */
    void send(ByteBuffer packet);

    /** Closes the client once everything queued so far has been written (CONNECT_CLOSE). */
    void closeAfterFlush();

    /** Starts the daemon's keepalive PINGs for this client (it probed VIR_DRV_FEATURE_PROGRAM_KEEPALIVE). */
    void startKeepalive();
}
