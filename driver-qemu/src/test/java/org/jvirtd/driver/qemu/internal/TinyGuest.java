package org.jvirtd.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.platform.conf.ConfFile;

/**
 * The shared fixtures' tiny TCG guest (kernel + busybox initramfs), built once into the module's target
 * folder, with a domain definition whose serial console is a file the tests read.
 */
final class TinyGuest {
    private TinyGuest() {
    }

    static Path build() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("jvirtd.guest.cache", "target/vm-guest"));
        if (!Files.exists(dir.resolve("vmlinuz")) || !Files.exists(dir.resolve("initrd.img"))) {
            Path script = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "fixtures", "make-vm-guest.sh");
            Process p = new ProcessBuilder(script.toString(), dir.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("make-vm-guest.sh failed");
            }
        }
        return dir.toAbsolutePath();
    }

    /** The tiny guest with the QEMU guest agent in it (src/test/tools/make-agent-guest.sh), built once. */
    static Path buildWithAgent() throws IOException, InterruptedException {
        Path base = build();
        Path dir = Path.of(System.getProperty("jvirtd.agent-guest.cache", "target/agent-guest")).toAbsolutePath();
        if (!Files.exists(dir.resolve("initrd.img"))) {
            Process p = new ProcessBuilder("src/test/tools/make-agent-guest.sh", base.toString(), dir.toString())
                .inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("make-agent-guest.sh failed");
            }
        }
        return dir;
    }

    static String domainXml(String name, Path guest, Path console) {
        return "<domain type='qemu'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>128</memory>\n"
            + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
            + "    <kernel>" + guest.resolve("vmlinuz") + "</kernel>\n"
            + "    <initrd>" + guest.resolve("initrd.img") + "</initrd>\n"
            + "    <cmdline>console=ttyS0 fixture.net=off</cmdline>\n  </os>\n  <features><acpi/></features>\n"
            + "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            + "    <serial type='file'><source path='" + console + "' append='on'/><target port='0'/></serial>\n"
            + "    <memballoon model='none'/>\n  </devices>\n</domain>\n";
    }

    static QemuDriver driver(Path work) {
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/tmp"), System.getenv(), List.of());
        return new QemuDriver(conf, new QemuCapsCache(Path.of("target/caps-cache").toAbsolutePath()));
    }

    static int count(Path console, String marker) {
        try {
            String text = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
            return text.split(java.util.regex.Pattern.quote(marker), -1).length - 1;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits for a condition, checking every 50 ms. */
    static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
