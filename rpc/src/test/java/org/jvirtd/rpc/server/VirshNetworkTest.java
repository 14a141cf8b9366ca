package org.jvirtd.rpc.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/** virsh's net-* commands through the RPC server to the real network driver (define side only: no bridges). */
class VirshNetworkTest {
    static final String UUID = "0c7a9e41-5b3d-4f62-8e19-a2d4c6f8b013";
    static final String XML = "<network><name>isolated1</name><uuid>" + UUID + "</uuid>"
        + "<bridge name='virbr-j1'/><ip address='192.168.150.1' netmask='255.255.255.0'/></network>";

    @Test
    void defineListDumpxmlAutostartEventsAndUndefine() throws Exception {
        Path xml = Files.createTempFile("net", ".xml");
        Files.writeString(xml, XML);
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            ProcessBuilder watcher = new ProcessBuilder("virsh", "-c", daemon.uri(), "net-event", "--event", "lifecycle", "--loop",
                "--timeout", "3");
            watcher.environment().put("LC_ALL", "C");
            int before = daemon.eventSubscriptionsMade();
            Process events = watcher.start();
            await("virsh net-event registers its callback").atMost(Duration.ofSeconds(10))
                .until(() -> daemon.eventSubscriptionsMade() > before);

            Result define = Processes.virsh(daemon.uri(), "net-define", xml.toString());
            assertEquals(0, define.exitCode(), define.toString());
            assertEquals("Network isolated1 defined from " + xml, define.stdout().trim());
            Result list = Processes.virsh(daemon.uri(), "-q", "net-list", "--all");
            assertTrue(list.stdout().trim().matches("isolated1\\s+inactive\\s+no\\s+yes"), list.toString());
            Result dump = Processes.virsh(daemon.uri(), "net-dumpxml", UUID);
            assertTrue(dump.stdout().contains("<name>isolated1</name>"), dump.toString());
            Result autostart = Processes.virsh(daemon.uri(), "net-autostart", "isolated1");
            assertEquals("Network isolated1 marked as autostarted", autostart.stdout().trim(), autostart.toString());
            Result leases = Processes.virsh(daemon.uri(), "net-dhcp-leases", "isolated1");
            assertEquals(0, leases.exitCode(), leases.toString());
            assertTrue(leases.stdout().contains("Expiry Time"), leases.toString());
            Result readOnly = Processes.virsh(daemon.readOnlyUri(), "net-undefine", "isolated1");
            assertTrue(readOnly.stderr().contains("read only access prevents virNetworkUndefine"), readOnly.toString());
            Result undefine = Processes.virsh(daemon.uri(), "net-undefine", "isolated1");
            assertEquals("Network isolated1 has been undefined", undefine.stdout().trim(), undefine.toString());

            assertTrue(events.waitFor(20, TimeUnit.SECONDS));
            String out = new String(events.getInputStream().readAllBytes());
            assertTrue(out.contains("event 'lifecycle' for network isolated1: Defined"), out);
            assertTrue(out.contains("event 'lifecycle' for network isolated1: Undefined"), out);
        } finally {
            Files.deleteIfExists(xml);
        }
    }
}
