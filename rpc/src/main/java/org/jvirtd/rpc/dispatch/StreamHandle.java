package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;

/** A stream opened by a call (volume upload/download): what the server does with the client's stream packets. */
public interface StreamHandle {
    /**
     * The opening call's reply is queued for the client: a stream that sends data may start once that
     * buffer has been written out (its position reaches its limit).
     */
    default void replied(ByteBuffer reply) {
    }

    /** A STREAM CONTINUE packet's data from the client. */
    void receive(byte[] data, int offset, int length);

    /**
     * A STREAM_HOLE packet's payload from the client (a virNetStreamHole, not yet decoded): on a sparse
     * upload, the next bytes are a hole. An upload that did not ask for holes, or a payload that is no
     * hole, answers STREAM ERROR and ends the stream; a download ignores it as it ignores data.
     */
    void hole(byte[] data, int offset, int length);

    /** The client finished (STREAM OK): flush, confirm. */
    void finish();

    /** The client aborted (STREAM ERROR) or went away. */
    void abort();
}
