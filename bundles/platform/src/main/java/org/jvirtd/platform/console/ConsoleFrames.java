package org.jvirtd.platform.console;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the daemon sends on the operator shell's socket: frames of a kind byte, a length and that many
 * bytes. The client sends plain command lines (UTF-8, one per line); for each the daemon answers with
 * the command's output ({@link #OUT}, {@link #ERR}, in the order written) and one {@link #DONE} holding
 * its status. {@link #COMMANDS} (the command names, one a line) comes once, first, for completion;
 * {@link #REFUSED} (the reason) instead of it when the peer may not use the shell.
 */
public final class ConsoleFrames {
    public static final byte COMMANDS = 'C';
    public static final byte OUT = 'O';
    public static final byte ERR = 'E';
    public static final byte DONE = 'D';
    public static final byte REFUSED = 'R';

    /** A frame larger than this is not from a daemon. */
    private static final int MAX_LENGTH = 16 << 20;

    /** One frame as read. */
    public record Frame(byte kind, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** The status of a {@link #DONE} frame. */
        public int status() {
            return ByteBuffer.wrap(data).getInt();
        }
    }

    private ConsoleFrames() {
    }

    public static void write(DataOutputStream out, byte kind, byte[] data, int offset, int length) throws IOException {
        synchronized (out) {
            out.writeByte(kind);
            out.writeInt(length);
            out.write(data, offset, length);
            out.flush();
        }
    }

    public static void write(DataOutputStream out, byte kind, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        write(out, kind, data, 0, data.length);
    }

    public static void done(DataOutputStream out, int status) throws IOException {
        write(out, DONE, ByteBuffer.allocate(4).putInt(status).array(), 0, 4);
    }

    /** The next frame, or null at the end of the stream. */
    public static Frame read(DataInputStream in) throws IOException {
        int kind = in.read();
        if (kind < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_LENGTH) {
            throw new IOException("not an operator shell frame (length " + length + ")");
        }
        byte[] data = new byte[length];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            return null;
        }
        return new Frame((byte) kind, data);
    }
}
