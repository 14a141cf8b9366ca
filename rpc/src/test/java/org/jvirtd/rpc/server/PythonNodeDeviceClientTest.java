package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/**
 * The node device and host interface API through the real libvirt-python: parents, capabilities, counts and
 * lists by capability and state, flag refusals with their error codes and domains, lookups. The expected lines
 * ({@code python-nodedev-iface.expected}) are what the same script printed against libvirtd 9.0 on the machine
 * it was written on, so the test runs where this host has that machine's devices.
 */
class PythonNodeDeviceClientTest {
    @Test
    void libvirtPythonGetsWhatLibvirtdGaveForTheSameCalls() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/bus/pci/devices/0000:00:02.0"))
            && "02:fc:00:00:00:01".equals(Files.readString(Path.of("/sys/class/net/eth0/address")).strip()),
            "another machine than the one libvirtd's output was recorded on");
        Path script = Files.createTempFile("jvirtd-python-nodedev", ".py");
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/python-nodedev-iface.py");
             InputStream out = getClass().getResourceAsStream("/python-nodedev-iface.expected")) {
            Files.write(script, in.readAllBytes());
            expected = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Processes.Result result = Processes.run(List.of("/usr/bin/python3", script.toString(), daemon.uri()), null, 60);
            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(expected.lines().toList(), result.stdout().lines().toList());
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
