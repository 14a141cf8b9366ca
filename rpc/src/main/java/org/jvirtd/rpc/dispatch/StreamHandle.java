package org.jvirtd.rpc.dispatch;

/** A stream opened by a call (volume upload/download): what the server does with the client's stream packets. */
public interface StreamHandle {
    /** A STREAM CONTINUE packet's data from the client. */
    void receive(byte[] data, int offset, int length);

    /** The client finished (STREAM OK): flush, confirm. */
    void finish();

    /** The client aborted (STREAM ERROR) or went away. */
    void abort();
}
