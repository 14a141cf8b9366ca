package org.jvirtd.platform.net;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The process at the other end of a connected unix socket, from SO_PEERCRED: pid, uid and gid, and the
 * process's start time (what polkit needs to name a process that cannot be recycled). The JDK offers the
 * user and group only, so the socket's descriptor is read through sun.nio.ch (the daemon's launcher exports
 * it with --add-exports java.base/sun.nio.ch=ALL-UNNAMED) and getsockopt is called through JNA.
 *
 * @param startTime the start time in clock ticks since boot (field 22 of /proc/PID/stat)
 */
public record UnixPeer(int pid, int uid, int gid, long startTime) {
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;

    /** getsockopt(2); socklen_t is 32 bits. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getsockopt(int fd, int level, int option, Pointer value, IntByReference length);
    }

    /**
     * @throws IOException when the descriptor cannot be reached or the kernel does not answer
     */
    public static UnixPeer of(SocketChannel channel) throws IOException {
        int fd = descriptor(channel);
        Memory credentials = new Memory(12);
        IntByReference length = new IntByReference(12);
        if (LibC.INSTANCE.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, credentials, length) != 0) {
            throw new IOException("Failed to get client socket identity: errno " + Native.getLastError());
        }
        int pid = credentials.getInt(0);
        return new UnixPeer(pid, credentials.getInt(4), credentials.getInt(8), startTime(pid));
    }

    static int descriptor(SocketChannel channel) throws IOException {
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl", false, ClassLoader.getPlatformClassLoader());
            return (Integer) selectable.getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot reach the socket's descriptor (java.base/sun.nio.ch not exported): " + e,
                e);
        }
    }

    /** Field 22 of /proc/PID/stat, counted after the command name, which may hold spaces and parentheses. */
    static long startTime(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state)
        return Long.parseLong(fields[22 - 3]);
    }
}
