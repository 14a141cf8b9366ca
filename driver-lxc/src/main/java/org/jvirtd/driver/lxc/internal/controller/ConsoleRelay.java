package org.jvirtd.driver.lxc.internal.controller;

/**
 * The container's console, as libvirt_lxc relays it: one pseudo-terminal whose slave is the container's
 * /dev/console, another whose slave the daemon opens for {@code virsh console}; a thread copies bytes between
 * the two masters. The controller keeps the host slave open (in raw mode), so its master never hangs up while
 * no client is attached; what the container writes while nobody reads is dropped once the buffer is full,
 * never blocking the container.
 */
final class ConsoleRelay implements AutoCloseable {
    private static final short POLLIN = 0x1;
    private static final int EAGAIN = 11;

    private final Linux.Pty container;
    private final Linux.Pty host;
    private final int hostSlave;
    private volatile boolean closed;

    private ConsoleRelay(Linux.Pty container, Linux.Pty host, int hostSlave) {
        this.container = container;
        this.host = host;
        this.hostSlave = hostSlave;
    }

    static ConsoleRelay open() {
        Linux.Pty container = Linux.openPty();
        Linux.Pty host = Linux.openPty();
        int hostSlave = Linux.open(host.slave(), Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC);
        Linux.makeRaw(hostSlave);
        ConsoleRelay relay = new ConsoleRelay(container, host, hostSlave);
        Thread t = new Thread(relay::copy, "lxc-console");
        t.setDaemon(true);
        t.start();
        return relay;
    }

    /** The slave the container gets as /dev/console. */
    String containerPath() {
        return container.slave();
    }

    /** The slave the daemon opens for the console stream. */
    String hostPath() {
        return host.slave();
    }

    private void copy() {
        int[] fds = {container.master(), host.master()};
        byte[] buffer = new byte[4096];
        while (!closed) {
            short[] ready = Linux.pollIn(fds, 500);
            if (ready == null) {
                continue;
            }
            boolean idle = true;
            for (int i = 0; i < 2; i++) {
                if ((ready[i] & POLLIN) != 0) {
                    long n = Linux.read(fds[i], buffer);
                    if (n > 0) {
                        idle = false;
                        writeSome(fds[1 - i], buffer, (int) n);
                    }
                }
            }
            if (idle) {
                // a hangup (the container's console has no process yet or any more): wait instead of spinning
                sleep();
            }
        }
    }

    /** Writes what the other side takes now; the rest is dropped rather than blocking the relay. */
    private static void writeSome(int fd, byte[] data, int length) {
        long n = Linux.write(fd, data, length);
        if (n < 0 && n != -EAGAIN) {
            ControllerMain.log("console write failed: errno " + -n);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Linux.close(hostSlave);
        Linux.close(host.master());
        Linux.close(container.master());
    }
}
