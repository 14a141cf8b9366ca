package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.net.HostNetwork;
import org.jvirtd.driver.qemu.internal.net.TestNamespace;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;

/**
 * Every configuration of the native-argv corpus that libvirtd 9.0 started on this machine (its recorded
 * NAME.start says "started": virsh create --paused) starts under jvirtd too, paused under TCG, and is
 * destroyed again. QEMU's network side (TAP devices of type='ethernet' interfaces) lives in a network
 * namespace the test makes. The disk images are the recorder's, made empty where missing.
 */
class NativeArgvCorpusStartTest {
    private static final Path CORPUS = Path.of("src/test/resources/native-argv");
    /** Where the recorded definitions keep their disks and kernel files (record-native-argv.sh's $IMAGES). */
    private static final Path IMAGES = Path.of("/var/tmp/jvirtd-native-argv");

    @Test
    void whatLibvirtdStartsStartsUnderJvirtd() throws Exception {
        Prerequisite.require("QEMU", Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")));
        Prerequisite.require("root and ip netns", TestNamespace.available());
        Prerequisite.requirePrograms("qemu-img");
        images();
        List<Path> startable = new ArrayList<>();
        for (Path xml : definitions()) {
            Path start = Path.of(xml.toString().replaceAll("\\.xml$", ".start"));
            if (Files.exists(start) && "started".equals(Files.readString(start, StandardCharsets.UTF_8).strip())) {
                startable.add(xml);
            }
        }
        assertTrue(startable.size() >= 40, "libvirtd started " + startable.size() + " configurations");
        List<String> failures = new ArrayList<>();
        // a short root: the guest-agent sockets below it must stay within a unix socket path's 107 bytes
        Path root = Files.createDirectories(Path.of("/tmp/jvnac-" + ProcessHandle.current().pid()));
        try (TestNamespace ns = new TestNamespace(); CoreHarness core = new CoreHarness(root)) {
            // graphics ports away from 5900, where other guests of this host take theirs meanwhile, and below the
            // ephemeral range, where a client connection may hold the port the check found free
            QemuConf conf = QemuConf.read(ConfFile.parse("qemu.conf", "remote_display_port_min = 25900\n"),
                Path.of("/tmp"), System.getenv(), List.of());
            core.bind(new QemuDriver(conf, new QemuCapsCache(Path.of("target/caps-cache").toAbsolutePath()),
                new HostNetwork(ns.name)));
            Connection conn = core.open();
            for (Path xml : startable) {
                String failure = startPaused(conn, Files.readString(xml, StandardCharsets.UTF_8));
                if (failure != null) {
                    failures.add(CORPUS.relativize(xml) + ": " + failure);
                }
            }
        }
        if (failures.isEmpty()) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("native-argv corpus starts: " + (startable.size() - failures.size()) + " of "
            + startable.size() + " that libvirtd started");
        assertEquals(List.of(), failures);
    }

    /** Null when the definition starts paused and is destroyed again, else what went wrong. */
    private static String startPaused(Connection conn, String xml) {
        DomainRef dom;
        try {
            dom = conn.createXml(xml, DomainFlags.START_PAUSED);
        } catch (VirtException e) {
            return e.getMessage();
        }
        try {
            DomainState state = conn.info(dom).state();
            return state == DomainState.PAUSED ? null : "state " + state + " after a paused start";
        } finally {
            conn.destroy(dom, 0);
        }
    }

    private static void images() throws IOException, InterruptedException {
        Files.createDirectories(IMAGES);
        for (String name : List.of("disk.qcow2", "data.qcow2", "data2.raw", "win.qcow2")) {
            if (!Files.exists(IMAGES.resolve(name))) {
                String format = name.endsWith(".raw") ? "raw" : "qcow2";
                Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", format,
                    IMAGES.resolve(name).toString(), "1G").inheritIO().start();
                assertEquals(0, p.waitFor(), "qemu-img create " + name);
            }
        }
        for (String name : List.of("vmlinuz", "initrd.img", "install.iso")) {
            if (!Files.exists(IMAGES.resolve(name))) {
                Files.createFile(IMAGES.resolve(name));
            }
        }
    }

    private static List<Path> definitions() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
    }
}
