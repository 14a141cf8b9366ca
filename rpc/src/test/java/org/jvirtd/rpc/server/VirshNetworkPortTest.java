package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.jvirtd.net.dnsmasq.DnsmasqService;
import org.jvirtd.net.firewall.NftablesFirewall;
import org.jvirtd.net.isolated.IsolatedMode;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;
import org.jvirtd.testing.Prerequisite;

/**
 * virsh's net-port-* commands against an isolated network the daemon starts inside a network namespace
 * this test creates and removes, compared with what libvirtd 9.0 printed for the same commands
 * (net-port-libvirtd.txt).
 */
class VirshNetworkPortTest {
    private static final String PORT_UUID = "4d3c1c6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final String NETWORK = "<network><name>h9iso</name><uuid>6a1c7e0e-3a55-4c1a-9a39-5a1d5c0f9e11</uuid>"
        + "<bridge name='virbr9'/><ip address='192.168.209.1' netmask='255.255.255.0'/></network>";
    private static final String OWNER = "<owner><name>guest1</name><uuid>11111111-2222-3333-4444-555555555555</uuid></owner>";
    private static final String PORT = "<networkport>\n  <uuid>" + PORT_UUID + "</uuid>\n  " + OWNER
        + "\n  <mac address='52:54:00:aa:bb:cc'/>\n</networkport>\n";
    private static final Map<String, String> LIBVIRTD = peerOutputs();

    private Path dir;

    @Test
    void createListDumpxmlDeleteAndErrorsAsLibvirtd() throws Exception {
        Prerequisite.require("root and ip netns", isRoot() && run("ip", "netns", "list") == 0);
        Prerequisite.requirePrograms("virsh", "dnsmasq", "nft");
        String ns = "jvt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        assertEquals(0, run("ip", "netns", "add", ns));
        dir = Files.createTempDirectory("jvirtd-port-test");
        Path root = Files.createTempDirectory("jvirtd-port-daemon");
        Files.writeString(root.resolve("jvirtd.conf"), "network_namespace = \"" + ns + "\"\n");
        try {
            InProcessDaemon daemon = startDaemon(root);
            try {
                String uri = daemon.uri();
                Path net = file("net.xml", NETWORK);
                assertEquals(0, Processes.virsh(uri, "net-define", net.toString()).exitCode());
                expect("create-inactive", 1, Processes.virsh(uri, "net-port-create", "h9iso", file("p.xml", PORT).toString()));
                Result start = Processes.virsh(uri, "net-start", "h9iso");
                assertEquals(0, start.exitCode(), start.toString());

                expect("create", 0, Processes.virsh(uri, "net-port-create", "h9iso", file("p.xml", PORT).toString()));
                expect("list", 0, Processes.virsh(uri, "net-port-list", "h9iso"));
                expect("list-uuid", 0, Processes.virsh(uri, "net-port-list", "h9iso", "--uuid"));
                expect("dumpxml", 0, Processes.virsh(uri, "net-port-dumpxml", "h9iso", PORT_UUID));
                expect("create-again", 1, Processes.virsh(uri, "net-port-create", "h9iso", file("p.xml", PORT).toString()));
                // virsh 9.0 exits 0 after this failure with libvirtd too
                expect("dumpxml-unknown", 0, Processes.virsh(uri, "net-port-dumpxml", "h9iso",
                    "00000000-0000-0000-0000-000000000001"));
                String other = "<uuid>aaaaaaaa-0000-0000-0000-000000000002</uuid>";
                badPort(uri, "bad-uuid", "<networkport><uuid>x</uuid></networkport>");
                badPort(uri, "no-uuid", "<networkport>" + OWNER + "<mac address='52:54:00:aa:bb:01'/></networkport>");
                badPort(uri, "no-owner-name", "<networkport>" + other + "<mac address='52:54:00:aa:bb:01'/></networkport>");
                badPort(uri, "no-owner-uuid", "<networkport>" + other
                    + "<owner><name>g</name></owner><mac address='52:54:00:aa:bb:01'/></networkport>");
                badPort(uri, "no-mac", "<networkport>" + other + OWNER + "</networkport>");
                badPort(uri, "bad-mac", "<networkport>" + other + OWNER + "<mac address='zz'/></networkport>");
                badPort(uri, "plug-given", "<networkport>" + other + OWNER
                    + "<mac address='52:54:00:aa:bb:07'/><plug type='bridge' bridge='br0'/></networkport>");
                badPort(uri, "wrong-root", "<network/>");
            } finally {
                daemon.stopKeepingState();
            }
            // a daemon started again over the same folder has the port, from the network's run dir
            try (InProcessDaemon again = startDaemon(root)) {
                String uri = again.uri();
                expect("list", 0, Processes.virsh(uri, "net-port-list", "h9iso"));
                expect("delete", 0, Processes.virsh(uri, "net-port-delete", "h9iso", PORT_UUID));
                expect("list-empty", 0, Processes.virsh(uri, "net-port-list", "h9iso"));
                expect("create", 0, Processes.virsh(uri, "net-port-create", "h9iso", file("p.xml", PORT).toString()));
                assertEquals(0, Processes.virsh(uri, "net-destroy", "h9iso").exitCode());
                expect("list-after-destroy", 1, Processes.virsh(uri, "net-port-list", "h9iso"));
                assertEquals(0, Processes.virsh(uri, "net-start", "h9iso").exitCode());
                expect("list-empty", 0, Processes.virsh(uri, "net-port-list", "h9iso"));
                assertEquals(0, Processes.virsh(uri, "net-destroy", "h9iso").exitCode());
            }
        } finally {
            run("ip", "netns", "del", ns);
            delete(root);
            delete(dir);
        }
    }

    private static InProcessDaemon startDaemon(Path root) throws Exception {
        InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), root);
        daemon.forwardModes().bindMode(new IsolatedMode(new DnsmasqService(), new NftablesFirewall()));
        return daemon;
    }

    private void badPort(String uri, String name, String xml) throws Exception {
        expect(name, 1, Processes.virsh(uri, "net-port-create", "h9iso", file("p.xml", xml).toString()));
    }

    private void expect(String name, int exitCode, Result result) {
        String printed = (result.stdout().strip() + "\n" + result.stderr().strip()).strip()
            .replace(dir.resolve("p.xml").toString(), "PORT");
        assertEquals(LIBVIRTD.get(name), printed, name + ": " + result);
        assertEquals(exitCode, result.exitCode(), name + ": " + result);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Map<String, String> peerOutputs() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = VirshNetworkPortTest.class.getResourceAsStream("net-port-libvirtd.txt")) {
            String name = null;
            StringBuilder text = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("### ")) {
                    if (name != null) {
                        out.put(name, text.toString().strip());
                    }
                    name = line.substring(4);
                    text.setLength(0);
                } else if (name != null) {
                    text.append(line).append('\n');
                }
            }
            out.put(name, text.toString().strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
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
