package org.jvirtd.driver.qemu.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The tiny guest's root shell (kernel option fixture.shell=1) on a serial port that QEMU serves as a unix socket:
 * a test types a command and waits for the output it computes, so the echo of the typed line never matches.
 */
final class GuestShell implements AutoCloseable {
    private final SocketChannel channel;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private GuestShell(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::read, "guest-shell");
        reader.setDaemon(true);
        reader.start();
    }

    static GuestShell connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new GuestShell(channel);
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                output.append(StandardCharsets.ISO_8859_1.decode(buffer));
                buffer.clear();
            }
        } catch (IOException e) {
            // closed
        }
    }

    void type(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Runs {@code command; echo TAG-$((n+1))} until the shell answers TAG-(n+1) (the first tries may reach a guest
     * still booting); returns whether it answered within the limit.
     */
    boolean run(String command, String tag, Duration limit) throws IOException, InterruptedException {
        int n = (int) (System.nanoTime() % 100000);
        String expected = tag + "-" + (n + 1);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            type(command + "; echo " + tag + "-$((" + n + "+1))");
            long retry = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < retry) {
                if (output.indexOf(expected) >= 0) {
                    return true;
                }
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** What the guest printed since the shell was connected. */
    String output() {
        return output.toString();
    }

    /** Whether the guest printed {@code text} since the shell was connected. */
    boolean saw(String text) {
        return output.indexOf(text) >= 0;
    }

    /** The last {@code chars} characters the guest printed, for a failure's message. */
    String tail(int chars) {
        return output.substring(Math.max(0, output.length() - chars));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
