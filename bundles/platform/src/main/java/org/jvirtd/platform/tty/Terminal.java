package org.jvirtd.platform.tty;

import java.io.IOException;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A terminal device (a guest console's pseudo-terminal) opened with O_NOCTTY, which the JDK cannot ask for:
 * the daemon is a session leader without a terminal, and a plain open would make the guest's terminal its
 * controlling one (and QEMU's exit a hangup of the daemon). Non-blocking underneath; {@link #read} and
 * {@link #write} wait with poll(2) in short steps, so {@link #close} from another thread ends them.
 */
public final class Terminal implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int EIO = 5;
    private static final int STEP_MILLIS = 200;

    /** The few libc calls this needs; size_t and ssize_t are 64 bits on the platforms jvirtd runs on. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        int poll(Pointer fds, long nfds, int timeoutMillis);

        int close(int fd);
    }

    private final Path path;
    private final int fd;
    private boolean closed;

    private Terminal(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens a terminal for reading and writing, never as the caller's controlling terminal. */
    public static Terminal open(Path path) throws IOException {
        int fd = LibC.INSTANCE.open(path.toString(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open " + path + ": errno " + Native.getLastError());
        }
        return new Terminal(path, fd);
    }

    public Path path() {
        return path;
    }

    /**
     * Waits for the next bytes; -1 once the terminal is closed or its other side went away (hangup, or EIO as
     * a pseudo-terminal reports a master that closed).
     */
    public int read(byte[] buffer) throws IOException {
        while (true) {
            int events = await(POLLIN);
            if (events < 0) {
                return -1;
            }
            synchronized (this) {
                if (closed) {
                    return -1;
                }
                long n = LibC.INSTANCE.read(fd, buffer, buffer.length);
                if (n > 0) {
                    return (int) n;
                }
                int errno = n < 0 ? Native.getLastError() : 0;
                if (n == 0 || errno == EIO || (events & (POLLHUP | POLLERR)) != 0 && errno == EAGAIN) {
                    return -1;
                }
                if (errno != EAGAIN && errno != EINTR) {
                    throw new IOException("read from " + path + " failed: errno " + errno);
                }
            }
        }
    }

    /** Writes all of the bytes, waiting while the terminal's buffer is full; fails once it is closed. */
    public void write(byte[] data, int offset, int length) throws IOException {
        byte[] chunk = offset == 0 && length == data.length ? data : java.util.Arrays.copyOfRange(data, offset,
            offset + length);
        int done = 0;
        while (done < chunk.length) {
            if (await(POLLOUT) < 0) {
                throw new IOException(path + " is closed");
            }
            synchronized (this) {
                if (closed) {
                    throw new IOException(path + " is closed");
                }
                byte[] rest = done == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, done, chunk.length);
                long n = LibC.INSTANCE.write(fd, rest, rest.length);
                if (n > 0) {
                    done += (int) n;
                } else if (Native.getLastError() != EAGAIN && Native.getLastError() != EINTR) {
                    throw new IOException("write to " + path + " failed: errno " + Native.getLastError());
                }
            }
        }
    }

    /** Polls in short steps until {@code wanted} (or a hangup) is reported; -1 once closed. */
    private int await(short wanted) {
        Memory pollfd = new Memory(8);
        while (true) {
            synchronized (this) {
                if (closed) {
                    return -1;
                }
                pollfd.setInt(0, fd);
            }
            pollfd.setShort(4, wanted);
            pollfd.setShort(6, (short) 0);
            int ready = LibC.INSTANCE.poll(pollfd, 1, STEP_MILLIS);
            if (ready > 0) {
                return pollfd.getShort(6);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
