package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls of the QEMU and LXC programs get libvirtd's answers for a driver without those APIs. */
class HypervisorProgramsTest {
    private static InProcessDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new InProcessDaemon(ServerSettings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void virshQemuMonitorCommandIsNotSupported() throws Exception {
        Path xml = daemon.root().resolve("q1.xml");
        Files.writeString(xml, "<domain type='test'><name>q1</name><memory>65536</memory>"
            + "<os><type>hvm</type></os></domain>");
        assertEquals(0, Processes.virsh(daemon.uri(), "define", xml.toString()).exitCode());
        Result result = Processes.virsh(daemon.uri(), "qemu-monitor-command", "q1", "--hmp", "info", "status");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(
            "error: this function is not supported by the connection driver: virDomainQemuMonitorCommand"),
            result.toString());
    }

    @Test
    void lxcOpenNamespaceIsNotSupportedFromVirNone() throws Exception {
        try (RawClient client = new RawClient(daemon.socket())) {
            client.open();
            RemoteError error = call(client, Protocol.LXC_PROGRAM, 1, out -> domain(out).writeInt(0));
            assertEquals(3, error.code());
            assertEquals(0, error.domain());
            assertEquals("this function is not supported by the connection driver: virDomainLxcOpenNamespace",
                error.message());
        }
    }

    @Test
    void readOnlyUnknownAndDeregisterAnswersMatchLibvirtd() throws Exception {
        try (RawClient client = new RawClient(daemon.readOnlySocket())) {
            RemoteError notOpen = call(client, Protocol.QEMU_PROGRAM, 3, null);
            assertEquals("internal error: hypervisor connection not open", notOpen.message());
            client.open();
            RemoteError denied = call(client, Protocol.QEMU_PROGRAM, 3,
                out -> domain(out).writeString("{}").writeInt(-1).writeInt(0));
            assertEquals(29, denied.code());
            assertEquals("operation forbidden: read only access prevents virDomainQemuAgentCommand",
                denied.message());
            RemoteError deregister = call(client, Protocol.QEMU_PROGRAM, 5, out -> out.writeInt(4));
            assertEquals("internal error: qemu monitor event callback 4 not registered", deregister.message());
            RemoteError event = call(client, Protocol.QEMU_PROGRAM, 6, null);
            assertEquals("unknown procedure: 6", event.message());
        }
    }

    private static XdrWriter domain(XdrWriter out) {
        return out.writeString("test").writeUuid(UUID.randomUUID()).writeInt(1);
    }

    private static RemoteError call(RawClient client, int program, int procedure, Consumer<XdrWriter> args)
        throws Exception {
        int serial = 1000 + procedure;
        client.send(Packet.encode(new Header(program, Protocol.VERSION, procedure, MessageType.CALL, serial,
            MessageStatus.OK), args));
        Packet reply = client.read(10_000);
        assertEquals(program, reply.header().program());
        assertEquals(serial, reply.header().serial());
        return RawClient.error(reply);
    }
}
