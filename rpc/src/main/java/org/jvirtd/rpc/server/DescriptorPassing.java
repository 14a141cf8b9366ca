package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * File descriptors over a unix socket, as libvirt passes them after a REPLY_WITH_FDS: one sendmsg(2) per
 * descriptor carrying a single zero byte and an SCM_RIGHTS control message. The JDK has no API for either the
 * descriptor of a SocketChannel or SCM_RIGHTS; the first comes from the JDK's own SelChImpl interface, which
 * the launcher exports to the bundles ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}), the second
 * through JNA.
 */
final class DescriptorPassing {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int MSGHDR_SIZE = 56;
    private static final int CMSG_LEN_ONE_FD = 20;
    private static final int CMSG_SPACE_ONE_FD = 24;

    /** The libc calls; size_t is 64 bits where jvirtd runs. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        long sendmsg(int socket, Pointer message, int flags);

    }

    private DescriptorPassing() {
    }

    /** Sends one descriptor with one zero byte; waits briefly while the socket is full. */
    static void send(SocketChannel channel, int fd) throws IOException {
        int socket = socketFd(channel);
        Memory data = new Memory(1);
        data.setByte(0, (byte) 0);
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, 1);
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
        for (int attempt = 0; ; attempt++) {
            long sent = LibC.INSTANCE.sendmsg(socket, message, MSG_NOSIGNAL);
            if (sent == 1) {
                return;
            }
            int errno = Native.getLastError();
            if ((errno != EAGAIN && errno != EINTR) || attempt > 1000) {
                throw new IOException("sendmsg SCM_RIGHTS failed: errno " + errno);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while passing a descriptor");
            }
        }
    }

    private static int socketFd(SocketChannel channel) throws IOException {
        try {
            // found through the channel's class, not by name: a bundle's class loader does not see sun.nio.ch
            for (Class<?> type = channel.getClass(); type != null; type = type.getSuperclass()) {
                for (Class<?> contract : type.getInterfaces()) {
                    if (contract.getName().endsWith(".SelChImpl")) {
                        return (Integer) contract.getMethod("getFDVal").invoke(channel);
                    }
                }
            }
            throw new IOException("the socket's descriptor is not reachable from " + channel.getClass());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("the socket's descriptor is not reachable (is java.base/sun.nio.ch exported to"
                + " the bundles?): " + e, e);
        }
    }
}
