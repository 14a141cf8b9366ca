package org.jvirtd.console;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.jvirtd.platform.console.ConsoleFrames;

/** A session's stdout or stderr: every write goes to the client as a frame of that kind. */
final class FrameStream extends OutputStream {
    private final DataOutputStream out;
    private final byte kind;

    FrameStream(DataOutputStream out, byte kind) {
        this.out = out;
        this.kind = kind;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (length > 0) {
            ConsoleFrames.write(out, kind, data, offset, length);
        }
    }
}
