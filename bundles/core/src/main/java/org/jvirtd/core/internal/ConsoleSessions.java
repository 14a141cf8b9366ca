package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.platform.tty.Terminal;

/**
 * The open consoles of one driver's domains, one per character device: a second client is refused
 * unless it forces, and then the first one's console ends (libvirt's virChrdevs rule).
 */
final class ConsoleSessions {
    private final Map<Path, PtyConsole> open = new HashMap<>();

    /** Opens the pseudo-terminal {@code pty} for a client; {@code from} is the driver's error domain. */
    synchronized ConsoleStream open(Path pty, boolean force, ErrorDomain from) {
        PtyConsole current = open.get(pty);
        if (current != null && current.isOpen()) {
            if (!force) {
                throw VirtErrors.operationFailed(from, "Active console session exists for this domain");
            }
            current.close();
        }
        try {
            PtyConsole console = new PtyConsole(pty, Terminal.open(pty));
            open.put(pty, console);
            return console;
        } catch (IOException e) {
            throw VirtErrors.system(from, "Unable to open tty " + pty, e);
        }
    }

    private synchronized void closed(PtyConsole console) {
        open.remove(console.pty, console);
    }

    /** A client's end of a pseudo-terminal that QEMU set to raw mode when it created it. */
    private final class PtyConsole implements ConsoleStream {
        private final Path pty;
        private final Terminal terminal;
        private volatile boolean open = true;

        PtyConsole(Path pty, Terminal terminal) {
            this.pty = pty;
            this.terminal = terminal;
        }

        boolean isOpen() {
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
            closed(this);
        }
    }
}
