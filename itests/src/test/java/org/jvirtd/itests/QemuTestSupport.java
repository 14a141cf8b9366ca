package org.jvirtd.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;

/**
 * What the Pax Exam tests with real QEMU guests share: the QEMU driver bundle on top of the common set,
 * the tiny TCG guest of ../shared/fixtures built once, and its serial console read as text.
 */
public abstract class QemuTestSupport extends JvirtdTestSupport {
    @Override
    @Configuration
    public Option[] config() throws IOException {
        return OptionUtils.combine(super.config(), CoreOptions.bundle(
            Path.of(System.getProperty("jvirtd.bundles.dir"), "jvirtd-driver-qemu.jar").toUri().toString()));
    }

    /**
     * These tests run real guests: without QEMU they fail, naming it, on a developer's run too (a JUnit 4
     * test in the framework cannot use jvirtd-testing's Prerequisite; ci-install.sh installs QEMU).
     */
    @Before
    public void qemuIsInstalled() {
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
            throw new AssertionError("missing prerequisite: /usr/bin/qemu-system-x86_64 (qemu-system-x86)");
        }
    }

    /**
     * Whether a process runs QEMU for the named guest: /proc/PID/cmdline (empty for a zombie) has
     * qemu-system-x86_64 as its program and {@code -name guest=NAME}.
     */
    protected static boolean qemuRuns(long pid, String name) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        if (!Files.exists(cmdline)) {
            return false;
        }
        String[] argv = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0");
        return argv[0].endsWith("/qemu-system-x86_64") && java.util.Arrays.stream(argv)
            .anyMatch(arg -> arg.startsWith("guest=" + name + ",") || arg.equals("guest=" + name));
    }

    /** The shared fixtures' kernel and initramfs, built once into the module's target folder. */
    protected static Path tinyGuest() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("jvirtd.guest.cache"));
        if (!Files.exists(dir.resolve("initrd.img"))) {
            Path script = Path.of(System.getProperty("jvirtd.shared"), "fixtures", "make-vm-guest.sh");
            Process p = new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("make-vm-guest.sh failed");
            }
        }
        return dir;
    }

    /** What the guest printed on its file-backed serial console so far. */
    protected static String read(Path console) {
        try {
            return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
