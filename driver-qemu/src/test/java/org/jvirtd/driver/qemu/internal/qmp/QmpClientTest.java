package org.jvirtd.driver.qemu.internal.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor connection to a real QEMU (no machine, QMP on a unix socket). */
class QmpClientTest {
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    @Test
    void aMonitorWhoseQemuExitedLeavesNoSocketBehind(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(QEMU), "no " + QEMU);
        Path socket = dir.resolve("monitor.sock");
        Process qemu = new ProcessBuilder(QEMU.toString(), "-machine", "none", "-nodefaults", "-display", "none",
            "-qmp", "unix:" + socket + ",server=on,wait=off").redirectErrorStream(true)
            .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket) && System.nanoTime() < deadline && qemu.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(Files.exists(socket), "QEMU made no monitor socket");
            CountDownLatch gone = new CountDownLatch(1);
            QmpClient qmp = QmpClient.connect(socket, Map.of(), gone::countDown);
            long connected = openSockets();
            qmp.quit();
            assertTrue(gone.await(60, TimeUnit.SECONDS), "the monitor never saw QEMU go");
            assertEquals(connected - 1, openSockets(), "the monitor's socket outlived QEMU");
        } finally {
            qemu.destroyForcibly().waitFor();
        }
    }

    /** This JVM's open sockets. */
    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
