package org.jvirtd.net.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared fixture guest (kernel + busybox initramfs running udhcpc) under QEMU TCG, its virtio NIC on
 * a tap, inside the test's namespace; it is ended by its PID when the test is done.
 */
final class TinyGuest implements AutoCloseable {
    private static final Pattern GUEST_IP = Pattern.compile("GUEST-IP (\\d+\\.\\d+\\.\\d+\\.\\d+)");

    private final Process qemu;
    private final Path console;

    /** Builds the guest once (make-vm-guest.sh, cached under /tmp) and returns its directory. */
    static Path build(Path shared) throws IOException, InterruptedException {
        Path dir = Path.of("/tmp/jvirtd-net-itest/vm-guest");
        if (!Files.exists(dir.resolve("initrd.img"))) {
            Process p = new ProcessBuilder(shared.resolve("fixtures/make-vm-guest.sh").toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("make-vm-guest.sh failed");
            }
        }
        return dir;
    }

    TinyGuest(Path guest, String netns, String tap, String mac, Path work) throws IOException {
        Files.createDirectories(work);
        console = work.resolve("console-" + tap + ".log");
        qemu = new ProcessBuilder(List.of("ip", "netns", "exec", netns, "qemu-system-x86_64", "-accel", "tcg",
            "-m", "128", "-kernel", guest.resolve("vmlinuz").toString(), "-initrd", guest.resolve("initrd.img").toString(),
            "-append", "console=ttyS0", "-nographic", "-nic", "none",
            "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=n0,mac=" + mac))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(console.toFile()).start();
    }

    /** Waits for the guest to print its DHCP address. */
    String awaitIp(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = GUEST_IP.matcher(Files.readString(console, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                return m.group(1);
            }
            if (!qemu.isAlive()) {
                throw new IOException("QEMU exited: " + Files.readString(console, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(200);
        }
        throw new IOException("no GUEST-IP within " + timeout + ": " + Files.readString(console, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws InterruptedException {
        qemu.destroy();
        if (!qemu.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            qemu.destroyForcibly();
        }
    }
}
