package org.jvirtd.platform.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Unix socket descriptors the JDK has no API for: a connected socket pair as raw descriptors (one end for a
 * process such as QEMU, the other for a client), and bytes written together with a descriptor (SCM_RIGHTS),
 * as QEMU's monitor takes one for {@code getfd}. A channel's descriptor is read through sun.nio.ch (the
 * daemon's launcher exports it with --add-exports java.base/sun.nio.ch=ALL-UNNAMED), the calls go through JNA.
 */
public final class SocketDescriptors {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM_CLOEXEC = 1 | 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSGHDR_SIZE = 56;
    private static final int CMSG_LEN_ONE_FD = 20;
    private static final int CMSG_SPACE_ONE_FD = 24;

    /** The libc calls; size_t is 64 bits where jvirtd runs. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socketpair(int domain, int type, int protocol, int[] pair);

        long sendmsg(int socket, Pointer message, int flags);

        int close(int fd);
    }

    private SocketDescriptors() {
    }

    /** socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two connected descriptors the caller closes. */
    public static int[] socketPair() throws IOException {
        int[] pair = new int[2];
        if (LibC.INSTANCE.socketpair(AF_UNIX, SOCK_STREAM_CLOEXEC, 0, pair) != 0) {
            throw new IOException("Failed to create socket pair: errno " + Native.getLastError());
        }
        return pair;
    }

    /**
     * Writes all of {@code bytes} to the channel (a blocking one), the first piece in one sendmsg(2) with
     * {@code fd} attached. The caller holds whatever lock orders the channel's writes.
     */
    public static void writeWithDescriptor(SocketChannel channel, ByteBuffer bytes, int fd) throws IOException {
        byte[] data = new byte[bytes.remaining()];
        bytes.get(data);
        Memory buffer = new Memory(data.length);
        buffer.write(0, data, 0, data.length);
        Memory iov = new Memory(16);
        iov.setPointer(0, buffer);
        iov.setLong(8, data.length);
        Memory control = new Memory(CMSG_SPACE_ONE_FD);
        control.clear();
        control.setLong(0, CMSG_LEN_ONE_FD);
        control.setInt(8, SOL_SOCKET);
        control.setInt(12, SCM_RIGHTS);
        control.setInt(16, fd);
        Memory message = new Memory(MSGHDR_SIZE);
        message.clear();
        message.setPointer(16, iov);
        message.setLong(24, 1);
        message.setPointer(32, control);
        message.setLong(40, CMSG_SPACE_ONE_FD);
        long sent = LibC.INSTANCE.sendmsg(UnixPeer.descriptor(channel), message, MSG_NOSIGNAL);
        if (sent < 0) {
            throw new IOException("sendmsg SCM_RIGHTS failed: errno " + Native.getLastError());
        }
        ByteBuffer rest = ByteBuffer.wrap(data, (int) sent, data.length - (int) sent);
        while (rest.hasRemaining()) {
            channel.write(rest);
        }
    }

    public static void close(int fd) {
        if (fd >= 0) {
            LibC.INSTANCE.close(fd);
        }
    }
}
