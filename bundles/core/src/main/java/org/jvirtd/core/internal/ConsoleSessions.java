package org.jvirtd.core.internal;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.platform.tty.Terminal;

/**
 * The open consoles and channels of one driver's domains, one per character device: a second client is
 * refused unless it forces, and then the first one's stream ends (libvirt's virChrdevs rule).
 */
final class ConsoleSessions {
    private final Map<Path, Session> open = new HashMap<>();

    /** Opens the pseudo-terminal {@code pty} for a client; {@code from} is the driver's error domain. */
    synchronized ConsoleStream open(Path pty, boolean force, ErrorDomain from) {
        takeOver(pty, force, from, "Active console session exists for this domain");
        try {
            Session console = new PtyConsole(pty, Terminal.open(pty));
            open.put(pty, console);
            return console;
        } catch (IOException e) {
            throw VirtErrors.system(from, "Unable to open tty " + pty, e);
        }
    }

    /** Connects a client to the UNIX socket a channel's hypervisor side listens on (virDomainOpenChannel). */
    synchronized ConsoleStream openSocket(Path socket, boolean force, ErrorDomain from) {
        takeOver(socket, force, from, "Active channel stream exists for this domain");
        try {
            Session channel = new SocketSession(socket, SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            open.put(socket, channel);
            return channel;
        } catch (IOException e) {
            throw VirtErrors.system(from, "failed to connect to socket " + socket, e);
        }
    }

    private void takeOver(Path device, boolean force, ErrorDomain from, String busy) {
        Session current = open.get(device);
        if (current != null && current.isOpen()) {
            if (!force) {
                throw VirtErrors.operationFailed(from, busy);
            }
            current.close();
        }
    }

    private synchronized void closed(Path device, Session session) {
        open.remove(device, session);
    }

    /** One client's stream on a character device. */
    private interface Session extends ConsoleStream {
        boolean isOpen();
    }

    /** A client's end of a pseudo-terminal that QEMU set to raw mode when it created it. */
    private final class PtyConsole implements Session {
        private final Path pty;
        private final Terminal terminal;
        private volatile boolean open = true;

        PtyConsole(Path pty, Terminal terminal) {
            this.pty = pty;
            this.terminal = terminal;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            int n = terminal.read(buffer);
            if (n < 0) {
                close();
            }
            return n;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            terminal.write(data, offset, length);
        }

        @Override
        public void close() {
            open = false;
            terminal.close();
            closed(pty, this);
        }
    }

    /** A client's connection to a channel's UNIX socket. */
    private final class SocketSession implements Session {
        private final Path socket;
        private final SocketChannel channel;

        SocketSession(Path socket, SocketChannel channel) {
            this.socket = socket;
            this.channel = channel;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            int n;
            try {
                n = channel.read(ByteBuffer.wrap(buffer));
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                close();
            }
            return n;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(data, offset, length);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // the socket is gone either way
            }
            closed(socket, this);
        }
    }
}
