package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrReader;

/** The server on a real socket, with hand-made packets: errors, limits, malformed input, many clients. */
class RpcServerTest {
    static InProcessDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new InProcessDaemon(new ServerSettings(50, 100, 2, 4, 2, 3, 1, 1));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static RawClient client() throws IOException {
        return new RawClient(daemon.socket());
    }

    @Test
    void callBeforeOpenSaysHypervisorConnectionNotOpen() throws Exception {
        try (RawClient client = client()) {
            RemoteError error = RawClient.error(client.roundTrip(59, null));
            assertEquals(1, error.code());
            assertEquals(7, error.domain());
            assertEquals("internal error: hypervisor connection not open", error.message());
        }
    }

    @Test
    void networkCallBeforeOpenSaysConnectionNotOpen() throws Exception {
        try (RawClient client = client()) {
            RemoteError error = RawClient.error(client.roundTrip(283, out -> out.writeInt(1).writeInt(0)));
            assertEquals("internal error: connection not open", error.message());
        }
    }

    @Test
    void openWithoutNameIsRefusedAsLibvirtdDoes() throws Exception {
        try (RawClient client = client()) {
            RemoteError error = RawClient.error(client.roundTrip(1, out -> out.writeBool(false).writeInt(0)));
            assertEquals("internal error: connection not open", error.message());
        }
    }

    @Test
    void secondOpenIsRefused() throws Exception {
        try (RawClient client = client()) {
            client.open();
            RemoteError error = RawClient.error(client.roundTrip(1, out -> {
                out.writeBool(true);
                out.writeString("test:///default");
                out.writeInt(0);
            }));
            assertEquals("internal error: connection already open", error.message());
        }
    }

    @Test
    void unknownProcedureAndProgramAreRpcErrors() throws Exception {
        try (RawClient client = client()) {
            client.open();
            RemoteError unknown = RawClient.error(client.roundTrip(9999, null));
            assertEquals(39, unknown.code());
            assertEquals("unknown procedure: 9999", unknown.message());
            RemoteError event = RawClient.error(client.roundTrip(318, null));
            assertEquals("unknown procedure: 318", event.message());
            client.sendRaw(java.util.HexFormat.of().parseHex("0000001c112233440000000100000001000000000000000700000000"));
            Packet reply = client.read(5000);
            assertEquals(0x11223344, reply.header().program());
            assertEquals(7, reply.header().serial());
            assertEquals("Cannot find program 287454020 version 1", RawClient.error(reply).message());
        }
    }

    @Test
    void unimplementedProcedureAnswersNoSupportWithTheApiName() throws Exception {
        try (RawClient client = client()) {
            client.open();
            UUID uuid = UUID.randomUUID();
            // virDomainSetLaunchSecurityState { dom; params<>; flags }: AMD SEV, which no host here has
            RemoteError error = RawClient.error(client.roundTrip(439, out -> {
                out.writeString("vm").writeUuid(uuid).writeInt(-1).writeInt(0).writeInt(0);
            }));
            assertEquals(3, error.code());
            assertEquals(20, error.domain());
            assertEquals("this function is not supported by the connection driver: virDomainSetLaunchSecurityState",
                error.message());
            assertEquals("this function is not supported by the connection driver: %s", error.str1());
            assertEquals("virDomainSetLaunchSecurityState", error.str2());
            // virNodeDeviceCreateXML { xml_desc; flags }: mdevs, which no host here has
            RemoteError nodedev = RawClient.error(client.roundTrip(123, out -> out.writeString("<device/>").writeInt(0)));
            assertEquals(22, nodedev.domain());
            assertEquals("this function is not supported by the connection driver: virNodeDeviceCreateXML",
                nodedev.message());
        }
    }

    @Test
    void aCallWithFilesIsAnsweredNotSupportedAndTheClientStays() throws Exception {
        try (RawClient client = client()) {
            client.open();
            // DOMAIN_CREATE_WITH_FILES (310) as CALL_WITH_FDS (type 4), serial 9, then the descriptor count 0
            client.sendRaw(java.util.HexFormat.of().parseHex(
                "00000020" + "20008086" + "00000001" + "00000136" + "00000004" + "00000009" + "00000000" + "00000000"));
            Packet reply = client.read(5000);
            assertEquals(9, reply.header().serial());
            RemoteError error = RawClient.error(reply);
            assertEquals(3, error.code());
            assertEquals("this function is not supported by the connection driver: virDomainCreateWithFiles",
                error.message());
            assertEquals("unknown procedure: 9999", RawClient.error(client.roundTrip(9999, null)).message());
            // DOMAIN_OPEN_GRAPHICS (249) with two descriptors: libvirt sends a byte with each after the packet;
            // the bytes are dropped with them, and the next call is read from the right place
            client.sendRaw(java.util.HexFormat.of().parseHex("00000020" + "20008086" + "00000001" + "000000f9"
                + "00000004" + "0000000a" + "00000000" + "00000002" + "0000"));
            assertEquals("this function is not supported by the connection driver: virDomainOpenGraphics",
                RawClient.error(client.read(5000)).message());
            assertEquals("unknown procedure: 9999", RawClient.error(client.roundTrip(9999, null)).message());
        }
    }

    @Test
    void readOnlySocketRefusesWritesWithOperationDenied() throws Exception {
        try (RawClient client = new RawClient(daemon.readOnlySocket())) {
            client.open();
            RemoteError error = RawClient.error(client.roundTrip(11, out -> out.writeString("<domain/>")));
            assertEquals(29, error.code());
            assertEquals(20, error.domain());
            assertEquals("operation forbidden: read only access prevents virDomainDefineXML", error.message());
            Packet list = client.roundTrip(273, out -> out.writeInt(1).writeInt(3));
            assertEquals(MessageStatus.OK, list.header().status());
            RemoteError secure = RawClient.error(client.roundTrip(14, out -> {
                out.writeString("x").writeUuid(UUID.randomUUID()).writeInt(-1).writeInt(1);
            }));
            assertEquals("operation forbidden: virDomainGetXMLDesc with secure flag", secure.message());
        }
    }

    @Test
    void undecodableArgumentsGetAnErrorTrailingBytesAreIgnoredAndTheClientStays() throws Exception {
        try (RawClient client = client()) {
            client.open();
            RemoteError error = RawClient.error(client.roundTrip(23, out -> out.writeInt(Integer.MAX_VALUE)));
            assertEquals(39, error.code());
            assertEquals("Unable to decode message payload", error.message());
            Packet type = client.roundTrip(3, out -> out.writeInt(5));
            assertEquals("TEST", new XdrReader(type.body(), 24, type.payloadLength()).readString(100));
        }
    }

    @Test
    void oversizedGarbageAndShortPacketsCloseOnlyThatClient() throws Exception {
        try (RawClient bystander = client()) {
            bystander.open();
            byte[][] attacks = {
                {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                {0x02, 0x00, 0x00, 0x05},
                {0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4},
            };
            for (byte[] attack : attacks) {
                try (RawClient attacker = client()) {
                    attacker.sendRaw(attack);
                    assertTrue(attacker.closedByServer(5000), "server kept a client that sent garbage");
                }
            }
            Random random = new Random(42);
            for (int i = 0; i < 20; i++) {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                try (RawClient attacker = client()) {
                    attacker.sendRaw(garbage);
                    attacker.closedByServer(200);
                }
            }
            assertEquals(MessageStatus.OK, bystander.roundTrip(3, null).header().status());
        }
    }

    @Test
    void packetJustUnderTheLimitIsReadAndAnsweredWithAnError() throws Exception {
        try (RawClient client = client()) {
            client.open();
            byte[] xml = new byte[Protocol.STRING_MAX + 1];
            RemoteError error = RawClient.error(client.roundTrip(11, out -> out.writeOpaque(xml)));
            assertEquals("Unable to decode message payload", error.message());
        }
    }

    @Test
    void keepaliveAnswersPingsAndClosesSilentClients() throws Exception {
        try (RawClient client = client()) {
            client.send(Keepalive.ping());
            Packet pong = client.read(5000);
            assertEquals(Protocol.KEEPALIVE_PROGRAM, pong.header().program());
            assertEquals(Protocol.KEEPALIVE_PONG, pong.header().procedure());
        }
        try (RawClient silent = client()) {
            Packet supported = silent.roundTrip(60, out -> out.writeInt(10));
            assertEquals(1, supported.payload().readInt());
            Packet ping = silent.read(5000);
            assertNotNull(ping, "no PING after the keepalive interval");
            assertEquals(Protocol.KEEPALIVE_PING, ping.header().procedure());
            assertEquals(MessageType.MESSAGE, ping.header().type());
            assertTrue(silent.closedByServer(6000), "silent client was not closed");
        }
    }

    @Test
    void pipelinedCallsBeyondMaxClientRequestsAllGetTheirReplies() throws Exception {
        try (RawClient client = client()) {
            client.open();
            List<Integer> serials = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                serials.add(client.call(3, null));
            }
            List<Integer> answered = new ArrayList<>();
            while (answered.size() < serials.size()) {
                Packet reply = client.read(10_000);
                assertNotNull(reply, "replies stopped after " + answered.size());
                answered.add(reply.header().serial());
            }
            answered.sort(Integer::compare);
            assertEquals(serials, answered);
        }
    }

    @Test
    void eightConcurrentClientsEachGetTheirOwnReplies() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                String name = "c" + c;
                results.add(threads.submit((Callable<Integer>) () -> {
                    try (RawClient client = client()) {
                        client.open();
                        String xml = "<domain type='test'><name>" + name + "</name>"
                            + "<memory unit='KiB'>1024</memory><os><type>hvm</type></os></domain>";
                        Packet defined = client.roundTrip(11, out -> out.writeString(xml));
                        if (defined.header().status() != MessageStatus.OK) {
                            throw new AssertionError(RawClient.error(defined).message());
                        }
                        DomainRef domain = Types.readDomain(defined.payload());
                        int ok = 0;
                        for (int i = 0; i < 100; i++) {
                            Packet reply = client.roundTrip(23, out -> out.writeString(name));
                            if (Types.readDomain(reply.payload()).equals(domain)) {
                                ok++;
                            }
                        }
                        assertEquals(MessageStatus.OK,
                            client.roundTrip(35, out -> Types.writeDomain(out, domain)).header().status());
                        return ok;
                    }
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(100, result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void secondServerOnALiveSocketRefusesAndAStaleSocketIsReplaced() throws Exception {
        IOException refused = assertThrows(IOException.class, () -> new RpcServer(
            new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            List.of(Listener.unix(daemon.socket(), false, null, null))));
        assertTrue(refused.getMessage().contains("another daemon is already listening on " + daemon.socket()));

        Path stale = Files.createTempDirectory("jvirtd-stale").resolve("sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        try (RpcServer server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
            ServerSettings.defaults(), List.of(Listener.unix(stale, false, null, null)));
             RawClient client = new RawClient(stale)) {
            assertEquals(MessageStatus.OK, client.roundTrip(66, null).header().status());
            assertFalse(server.clientCount() == 0);
        }
        assertFalse(Files.exists(stale), "socket file left behind");
    }

    @Test
    void maxClientsLeavesFurtherClientsWaitingUntilOneLeaves() throws Exception {
        Path dir = Files.createTempDirectory("jvirtd-max");
        Path socket = dir.resolve("sock");
        try (RpcServer server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
            new ServerSettings(2, 10, 1, 2, 1, 5, 5, 5), List.of(Listener.unix(socket, false, null, null)))) {
            RawClient first = new RawClient(socket);
            RawClient second = new RawClient(socket);
            assertEquals(MessageStatus.OK, first.roundTrip(66, null).header().status());
            assertEquals(MessageStatus.OK, second.roundTrip(66, null).header().status());
            try (RawClient third = new RawClient(socket)) {
                third.call(66, null);
                assertNull(third.read(700), "a third client was served beyond max_clients = 2");
                first.close();
                assertNotNull(third.read(5000), "the waiting client was not served after one left");
            } finally {
                second.close();
            }
        }
    }
}
