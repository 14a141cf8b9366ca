package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;

/**
 * The native-argv corpus (src/test/resources/native-argv, recorded from libvirtd 9.0 by
 * src/test/tools/record-native-argv.sh): for each definition virt-install, virt-manager or Nova writes,
 * jvirtd's virConnectDomainXMLToNative("qemu-argv") must equal libvirtd's answer on this machine's QEMU, or
 * refuse it with libvirtd's message.
 * <p>
 * Only what is legitimately instance-specific is normalised: the daemon's PATH (recorded as {@code @PATH@},
 * given to the driver as its environment), the driver's state directory (jvirtd's in place of libvirt's
 * /var/lib/libvirt/qemu: per-domain directories, NVRAM files, channel sockets) and the numbers of the
 * descriptors libvirt opened for TAP devices ({@code "fd":"N"}). Everything else is compared byte for byte.
 */
class NativeArgvCorpusTest {
    /** Configurations that pass; the count reached, so a regression fails the build. */
    private static final int FLOOR = 119;
    private static final Path CORPUS = Path.of("src/test/resources/native-argv");
    private static final String LIBVIRT_STATE_DIR = "/var/lib/libvirt/qemu";

    record Outcome(String name, String failure) {
    }

    @Test
    void jvirtdsArgvIsLibvirtdsForEveryRecordedConfiguration() throws IOException {
        Prerequisite.require("QEMU", Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")));
        Path capsDir = Path.of("target/caps-cache").toAbsolutePath();
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/tmp"), Map.of("PATH", "@PATH@"),
            List.of());
        QemuDriver driver = new QemuDriver(conf, new QemuCapsCache(capsDir));
        String stateDir = capsDir.getParent().toString();

        List<Outcome> outcomes = new ArrayList<>();
        for (Path xml : definitions()) {
            String base = xml.toString().substring(0, xml.toString().length() - ".xml".length());
            String name = CORPUS.relativize(xml).toString();
            outcomes.add(new Outcome(name, compare(driver, xml, Path.of(base + ".argv"), Path.of(base + ".err"),
                stateDir)));
        }
        StringBuilder report = new StringBuilder();
        long passed = outcomes.stream().filter(o -> o.failure() == null).count();
        outcomes.stream().filter(o -> o.failure() != null)
            .forEach(o -> report.append("FAIL ").append(o.name()).append('\n').append(o.failure()).append("\n\n"));
        report.append("native-argv corpus: ").append(passed).append(" of ").append(outcomes.size()).append(" pass\n");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/native-argv-report.txt"), report.toString(), StandardCharsets.UTF_8);
        System.out.println("native-argv corpus: " + passed + " of " + outcomes.size()
            + " pass (differences in target/native-argv-report.txt)");
        assertTrue(outcomes.size() >= 40, "the corpus has " + outcomes.size() + " configurations");
        assertTrue(passed >= FLOOR, "native-argv corpus: " + passed + " pass, floor " + FLOOR + "\n" + report);
    }

    @Test
    void anUnknownFormatIsRefusedAsLibvirtRefusesIt() {
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/tmp"), Map.of(), List.of());
        QemuDriver driver = new QemuDriver(conf, new QemuCapsCache(Path.of("target/caps-cache").toAbsolutePath()));
        VirtException e = org.junit.jupiter.api.Assertions.assertThrows(VirtException.class,
            () -> driver.domainXmlToNative("foo", "<domain type='qemu'/>"));
        assertEquals("invalid argument: unsupported config type foo", e.getMessage());
    }

    private static List<Path> definitions() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
    }

    /** Null when jvirtd answers as libvirtd did, else what differs. */
    private static String compare(QemuDriver driver, Path xml, Path argvFile, Path errFile, String stateDir)
        throws IOException {
        String input = Files.readString(xml, StandardCharsets.UTF_8);
        String actual;
        try {
            actual = driver.domainXmlToNative("qemu-argv", input);
        } catch (VirtException e) {
            if (Files.exists(errFile)) {
                String expected = Files.readString(errFile, StandardCharsets.UTF_8).strip();
                String got = "error: " + e.getMessage();
                return expected.equals(got) ? null : "refused with\n  " + got + "\nlibvirtd:\n  " + expected;
            }
            return "refused: " + e.getMessage();
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
        if (!Files.exists(argvFile)) {
            return "accepted, libvirtd refused: " + Files.readString(errFile, StandardCharsets.UTF_8).strip();
        }
        String expected = normalise(Files.readString(argvFile, StandardCharsets.UTF_8).strip(), LIBVIRT_STATE_DIR);
        String got = normalise(actual.strip(), stateDir);
        return expected.equals(got) ? null : diff(expected, got);
    }

    private static String normalise(String argv, String stateDir) {
        return argv.replace(stateDir + "/", "@STATE@/").replaceAll("\"fd\":\"[0-9]+\"", "\"fd\":\"@FD@\"");
    }

    /** The arguments that differ, one per line (both sides split as a shell would not need to: at spaces). */
    private static String diff(String expected, String actual) {
        List<String> e = List.of(expected.split(" "));
        List<String> a = List.of(actual.split(" "));
        int head = 0;
        while (head < e.size() && head < a.size() && e.get(head).equals(a.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < e.size() - head && tail < a.size() - head
            && e.get(e.size() - 1 - tail).equals(a.get(a.size() - 1 - tail))) {
            tail++;
        }
        return "  libvirtd: " + String.join(" ", e.subList(Math.max(0, head - 1), e.size() - tail))
            + "\n  jvirtd:   " + String.join(" ", a.subList(Math.max(0, head - 1), a.size() - tail));
    }
}
