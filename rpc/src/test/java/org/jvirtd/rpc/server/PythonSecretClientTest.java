package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/**
 * The secret API through the real libvirt-python: lookups by usage, listing filters, a binary value, flag and
 * private refusals, events of one secret and of all. The expected lines are what the same script printed
 * against libvirtd 9.0 (../shared/tools/peer-libvirtd.sh).
 */
class PythonSecretClientTest {
    private static final String LIBVIRTD_OUTPUT = """
            defined 5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2 4 py-tls 5 py-vtpm
            by usage 5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2 py-tls
            66 30 Secret not found: no secret with matching usage 'py-tls'
            by uuid py-vtpm
            all ['5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3']
            ephemeral ['5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3']
            no-private ['5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2']
            old list ['5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3'] True
            8 30 unsupported flags (0x40) in function secretConnectListAllSecrets
            binary value back True
            65 30 Invalid secret: secret is private
            8 30 unsupported flags (0x1) in function secretGetValue
            8 30 unsupported flags (0x1) in function secretGetXMLDesc
            8 30 unsupported flags (0x2) in function secretDefineXML
            1 30 internal error: cannot change private flag on existing secret
            <secret ephemeral='yes' private='yes'>|  <uuid>5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3</uuid>|  <usage type='vtpm'>|    <name>py-vtpm</name>|  </usage>|</secret>|
            66 30 Secret not found: no secret with matching uuid '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2'
            66 30 Secret not found: no secret with matching uuid '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2'
            events [('lifecycle', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2', 0, 0), ('lifecycle', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3', 0, 0), ('value', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2'), ('lifecycle', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2', 1, 0), ('lifecycle', '5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3', 1, 0)]
            8 0 invalid argument: event callback id 1 not registered
            """;

    @Test
    void libvirtPythonGetsWhatLibvirtdGaveForTheSameCalls() throws Exception {
        Path script = Files.createTempFile("jvirtd-python-secrets", ".py");
        try (var in = PythonSecretClientTest.class.getResourceAsStream("/python-secrets.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Processes.Result result = Processes.run(List.of("/usr/bin/python3", script.toString(), daemon.uri()), null, 60);
            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(LIBVIRTD_OUTPUT.lines().toList(), result.stdout().lines().toList());
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
