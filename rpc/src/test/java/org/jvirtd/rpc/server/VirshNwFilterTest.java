package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.testing.Prerequisite;

/**
 * virsh's nwfilter-* and nwfilter-binding-* commands, run by src/test/tools/record-nwfilter-virsh.sh, against the
 * daemon with the nwfilter driver (rules in a network namespace this test creates and removes, with a TAP vnet0),
 * printing what libvirtd 9.0 printed for the same script (nwfilter-libvirtd.txt, UUIDs and paths masked); then the
 * ebtables rules of a binding made through virsh are there and gone with it.
 */
class VirshNwFilterTest {
    @Test
    void theNwfilterCommandsPrintWhatLibvirtdPrints() throws Exception {
        Prerequisite.require("root and ip netns", isRoot() && run("ip", "netns", "list") == 0);
        Prerequisite.requirePrograms("virsh", "ebtables");
        String ns = "jvf-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        assertEquals(0, run("ip", "netns", "add", ns));
        Path root = Files.createTempDirectory("jvirtd-nwfilter-daemon");
        Path dir = Files.createTempDirectory("jvirtd-nwfilter-test");
        try {
            assertEquals(0, run("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "vnet0", "mode", "tap"));
            Files.writeString(root.resolve("jvirtd.conf"), "network_namespace = \"" + ns + "\"\n");
            try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), root)) {
                Process script = new ProcessBuilder("bash", "src/test/tools/record-nwfilter-virsh.sh", daemon.uri(),
                    dir.toString()).redirectErrorStream(true).start();
                String printed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, script.waitFor());
                assertEquals(libvirtd(), printed);

                Process create = new ProcessBuilder("virsh", "-c", daemon.uri(), "nwfilter-binding-create",
                    dir.resolve("binding.xml").toString()).redirectErrorStream(true).start();
                create.getInputStream().readAllBytes();
                assertEquals(0, create.waitFor());
                assertTrue(natTable(ns).contains("-p ARP --arp-ip-src 192.168.122.50 -j RETURN"), natTable(ns));
                assertEquals(0, new ProcessBuilder("virsh", "-c", daemon.uri(), "nwfilter-binding-delete", "vnet0")
                    .start().waitFor());
                assertTrue(!natTable(ns).contains("vnet0"), natTable(ns));
            }
        } finally {
            run("ip", "netns", "del", ns);
            delete(dir);
        }
    }

    private static String natTable(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ebtables", "-t", "nat", "-L").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static String libvirtd() throws IOException {
        try (InputStream in = VirshNwFilterTest.class.getResourceAsStream("nwfilter-libvirtd.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return "0".equals(new String(id.getInputStream().readAllBytes()).strip());
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static void delete(Path path) throws IOException {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
