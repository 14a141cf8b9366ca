package org.jvirtd.rpc.procedures;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a vol-upload stream should leave on the volume, worked out without the daemon's code: the oracle
 * of the stream fuzz target. Data goes at the offset and moves it; a hole (a 12-byte virNetStreamHole, a
 * non-negative hyper then flags) moves it without writing; the first failure ends the stream.
 */
final class StreamModel {
    private final byte[] bytes;
    private final boolean sparse;
    private long offset;
    private int size;
    private boolean failed;

    StreamModel(int capacity, boolean sparse) {
        this.bytes = new byte[capacity];
        this.sparse = sparse;
    }

    void data(byte[] data, int from, int length) {
        if (failed || length == 0) {
            return;
        }
        if (offset > bytes.length - length) {
            failed = true;
            return;
        }
        System.arraycopy(data, from, bytes, (int) offset, length);
        offset += length;
        size = (int) Math.max(size, offset);
    }

    void hole(byte[] data, int from, int length) {
        if (failed) {
            return;
        }
        if (!sparse || length < 12) {
            failed = true;
            return;
        }
        long hole = ByteBuffer.wrap(data, from, 8).getLong();
        if (hole < 0 || offset > Long.MAX_VALUE - hole) {
            failed = true;
            return;
        }
        offset += hole;
    }

    boolean failed() {
        return failed;
    }

    byte[] content() {
        return Arrays.copyOf(bytes, size);
    }
}
