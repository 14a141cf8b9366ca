package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * virNetworkPortGetParameters/SetParameters through libvirt-python (virNetworkPort.parameters and
 * setParameters; virsh has no command for them) on an isolated network the daemon starts inside a network
 * namespace this test creates and removes: net-port-parameters.py prints the port's bandwidth parameters
 * and XML after each set and libvirt's refusals (a floor without the network's inbound QoS, flags), and the
 * printout must be the one libvirtd 9.0 gave for the same script (net-port-parameters-libvirtd.txt).
 */
class NetworkPortParametersTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void parametersAndXmlAsLibvirtd() throws Exception {
        Prerequisite.require("root and ip netns", run("ip", "netns", "list") == 0 && "0".equals(userId()));
        Prerequisite.requirePrograms("dnsmasq", "nft");
        Prerequisite.require(PYTHON + " with the libvirt module (python3-libvirt)",
            run(PYTHON, "-c", "import libvirt") == 0);
        String ns = "jvt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        assertEquals(0, run("ip", "netns", "add", ns));
        Path root = Files.createTempDirectory("jvirtd-port-params");
        Path script = root.resolve("net-port-parameters.py");
        Files.writeString(script, resource("net-port-parameters.py"));
        Files.writeString(root.resolve("jvirtd.conf"), "network_namespace = \"" + ns + "\"\n");
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), root)) {
            daemon.forwardModes().bindMode(new IsolatedMode(new DnsmasqService(), new NftablesFirewall()));
            try {
                Result result = Processes.run(List.of(PYTHON, script.toString(), daemon.uri()), null, 120);
                assertEquals(0, result.exitCode(), result.toString());
                assertEquals(resource("net-port-parameters-libvirtd.txt"), result.stdout() + result.stderr());
            } finally {
                // a script that stopped halfway leaves the network (and its dnsmasq) running
                Processes.virsh(daemon.uri(), "net-destroy", "h21pp");
            }
        } finally {
            run("ip", "netns", "del", ns);
            if (Files.exists(root)) {   // the daemon's close removes its folder
                try (var files = Files.walk(root)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NetworkPortParametersTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String userId() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes()).strip();
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start().waitFor();
    }
}
