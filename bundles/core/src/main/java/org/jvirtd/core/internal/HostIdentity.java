package org.jvirtd.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Who and where this daemon runs: effective uid (privileged or session mode) and host name.
 */
final class HostIdentity {
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    // the kernel renders the sysctl afresh on every read at offset 0: one pread, no open/close per call
    private static volatile FileChannel hostnameChannel;

    private HostIdentity() {
    }

    static boolean isPrivileged() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The kernel's current host name (it may change while the daemon runs). */
    static String hostname() {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(128);
            int length = hostnameChannel().read(buffer, 0);
            return new String(buffer.array(), 0, Math.max(0, length), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }

    private static FileChannel hostnameChannel() throws IOException {
        FileChannel channel = hostnameChannel;
        if (channel == null || !channel.isOpen()) {
            synchronized (HostIdentity.class) {
                channel = hostnameChannel;
                if (channel == null || !channel.isOpen()) {
                    channel = FileChannel.open(HOSTNAME, StandardOpenOption.READ);
                    hostnameChannel = channel;
                }
            }
        }
        return channel;
    }
}
