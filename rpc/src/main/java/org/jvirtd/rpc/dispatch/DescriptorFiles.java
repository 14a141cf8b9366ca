package org.jvirtd.rpc.dispatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Files opened as raw descriptors for passing to a client (the JDK gives no descriptor numbers): opened
 * read-only and close-on-exec, closed by whoever passed them.
 */
public final class DescriptorFiles {
    private static final int O_RDONLY_CLOEXEC = 02000000;

    /** The libc calls. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);
    }

    private DescriptorFiles() {
    }

    /** Opens each file; closes what it opened when one fails. */
    public static int[] open(List<Path> files) throws IOException {
        int[] fds = new int[files.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = LibC.INSTANCE.open(files.get(i).toString(), O_RDONLY_CLOEXEC);
            if (fds[i] < 0) {
                int errno = Native.getLastError();
                close(Arrays.copyOf(fds, i));
                throw new IOException("cannot open " + files.get(i) + ": errno " + errno);
            }
        }
        return fds;
    }

    public static void close(int[] fds) {
        for (int fd : fds) {
            LibC.INSTANCE.close(fd);
        }
    }
}
