package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.jvirtd.platform.tty.Terminal;
import org.jvirtd.testing.Prerequisite;

/**
 * The shared fixtures' busybox container root (make-ct-rootfs.sh), built once into the module's target
 * folder, and domain definitions that run it; plus a reader of a container's console pty.
 */
final class BusyboxContainer {
    private BusyboxContainer() {
    }

    static Path build() throws IOException, InterruptedException {
        Prerequisite.require("root (namespaces, mounts, cgroups)", "root".equals(System.getProperty("user.name")));
        Path dir = Path.of(System.getProperty("jvirtd.ct.cache", "target/ct-rootfs")).toAbsolutePath();
        if (!Files.exists(dir.resolve("etc/fixture-rootfs"))) {
            Path script = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "fixtures",
                "make-ct-rootfs.sh");
            Prerequisite.requireShared(script);
            Process p = new ProcessBuilder(script.toString(), dir.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("make-ct-rootfs.sh failed");
            }
        }
        return dir;
    }

    /** A container of {@code memoryMiB} running {@code init} (with one argument, or none) in {@code rootfs}. */
    static String domainXml(String name, Path rootfs, int memoryMiB, String init, String devicesExtra) {
        return "<domain type='lxc'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>" + memoryMiB + "</memory>\n"
            + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64'>exe</type>\n    <init>" + init + "</init>\n"
            + "    <initenv name='CT_HOSTNAME'>" + name + "</initenv>\n  </os>\n"
            + "  <devices>\n    <emulator>/usr/libexec/libvirt_lxc</emulator>\n"
            + "    <filesystem type='mount'>\n      <source dir='" + rootfs + "'/>\n      <target dir='/'/>\n"
            + "    </filesystem>\n" + devicesExtra
            + "    <console type='pty'>\n      <target type='lxc' port='0'/>\n    </console>\n  </devices>\n"
            + "</domain>\n";
    }

    /** Everything a console pty shows, collected by a thread, with a way to type into it. */
    static final class Console implements AutoCloseable {
        private final Terminal terminal;
        private final StringBuffer seen = new StringBuffer();

        Console(Path pty) throws IOException {
            terminal = Terminal.open(pty);
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n = terminal.read(buffer); n >= 0; n = terminal.read(buffer)) {
                        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    seen.append("\n[console read failed: ").append(e.getMessage()).append("]\n");
                }
            }, "test-console");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            return seen.toString();
        }

        void type(String line) throws IOException {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.ISO_8859_1);
            terminal.write(bytes, 0, bytes.length);
        }

        /** Waits until what the console shows satisfies {@code test}; on timeout the message shows it all. */
        void await(Duration limit, String what, java.util.function.Predicate<String> test)
            throws InterruptedException {
            try {
                BusyboxContainer.await(limit, what, () -> test.test(text()));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the console shows:\n" + text(), e);
            }
        }

        void await(Duration limit, String text) throws InterruptedException {
            try {
                BusyboxContainer.await(limit, "console to show '" + text + "'", () -> text().contains(text));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; it shows:\n" + text(), e);
            }
        }

        @Override
        public void close() {
            terminal.close();
        }
    }

    /** Waits for a condition, checking every 50 ms. */
    static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
