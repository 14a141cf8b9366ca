package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/** The real libvirt-python against the in-process server: API calls, errors, events, 8 threads. */
class PythonClientTest {
    @Test
    void libvirtPythonSeesTheSameDaemonAsVirsh() throws Exception {
        Path script = Files.createTempFile("jvirtd-python", ".py");
        try (var in = PythonClientTest.class.getResourceAsStream("/python-client.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Processes.Result result = Processes.run(List.of("/usr/bin/python3", script.toString(), daemon.uri()), null, 60);
            assertEquals(0, result.exitCode(), result.toString());
            List<String> lines = result.stdout().lines().toList();
            assertEquals("type TEST", lines.get(0));
            assertEquals("uri " + daemon.uri(), lines.get(1));
            assertEquals("secure 1", lines.get(2));
            assertEquals("alive 1", lines.get(3));
            assertEquals("defined py1 1b4e28ba-2fa1-11d2-883f-0016d3cca427 -1", lines.get(4));
            assertEquals("state [1, 1]", lines.get(5));
            assertEquals("info 1 65536 2", lines.get(6));
            assertEquals("active 1 persistent 1", lines.get(7));
            assertEquals(true, lines.get(8).startsWith("lookup True py1 py1"), lines.get(8));
            assertEquals("listed ['py1']", lines.get(9));
            assertEquals("missing 42 Domain not found: no domain with matching name 'nope'", lines.get(10));
            assertEquals("unsupported 3 20", lines.get(11));
            assertEquals("concurrent [50, 50, 50, 50, 50, 50, 50, 50]", lines.get(12));
            assertEquals("events [('py1', 0, 0), ('py1', 2, 0), ('py1', 5, 1), ('py1', 1, 0)]", lines.get(13));
            // the oldest registration (virConnectDomainEventRegister, procedures 105/106) sees the same events
            assertEquals("legacy [('py1', 0, 0), ('py1', 2, 0), ('py1', 5, 1), ('py1', 1, 0)]", lines.get(14));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
