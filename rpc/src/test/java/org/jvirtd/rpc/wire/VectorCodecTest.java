package org.jvirtd.rpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventType;
import org.jvirtd.rpc.dispatch.ProcedureBinding;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.protocol.Events;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.testing.Vectors;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The codec against packets captured from libvirtd 9.0.0: every packet parses, and what jvirtd encodes
 * for the same content is the same bytes.
 */
class VectorCodecTest {
    static final DomainRef PEER_TINY = new DomainRef("peer-tiny",
        UUID.fromString("6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b70"), -1);
    static final ProcedureTable TABLE = RemoteProgram.table(null);

    static Stream<String> files() {
        return Stream.of("01-connect-open.hex", "02-list-all-domains.hex", "03-domain-lookup-by-name.hex",
            "04-domain-get-xml-desc.hex", "05-error-reply-lookup-by-uuid.hex", "06-event-register-and-lifecycle.hex",
            "07-keepalive-ping-pong.hex", "08-connect-close.hex", "09-stream-vol-download.hex",
            "10-call-before-open.hex", "11-unknown-procedure.hex", "12-unknown-program.hex",
            "13-client-keepalive-ping.hex", "14-supports-feature-before-open.hex", "15-open-null-name.hex",
            "16-get-uri-after-null-open.hex", "17-readonly-socket-define-denied.hex");
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyPacketFramesAndItsHeaderReencodesByteForByte(String file) throws Exception {
        for (Vectors.Line line : Vectors.read(file)) {
            byte[] bytes = line.bytes();
            PacketFramer framer = new PacketFramer();
            byte[] body = framer.next(ByteBuffer.wrap(bytes));
            assertEquals(bytes.length - 4, body.length, file);
            Packet packet = Packet.parse(body);
            ByteBuffer header = Packet.encode(packet.header(), null);
            assertArrayEquals(Arrays.copyOfRange(bytes, 4, 28), Arrays.copyOfRange(header.array(), 4, 28), file);
            if (packet.header().status() == MessageStatus.ERROR && !line.fromClient()) {
                RemoteError error = RemoteError.read(packet.payload());
                assertArrayEquals(bytes, bytes(Packet.encode(packet.header(), error::write)), file);
            }
        }
    }

    @Test
    void handshakeRepliesAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("01-connect-open.hex");
        assertReply(lines.get(1), RemoteProcedure.AUTH_LIST, List.of(0));
        assertEquals(10, decodeArgs(lines.get(2), RemoteProcedure.CONNECT_SUPPORTS_FEATURE));
        assertReply(lines.get(3), RemoteProcedure.CONNECT_SUPPORTS_FEATURE, true);
        Object open = decodeArgs(lines.get(4), RemoteProcedure.CONNECT_OPEN);
        assertEquals("OpenArgs[name=qemu:///system, flags=0]", open.toString());
        assertReply(lines.get(5), RemoteProcedure.CONNECT_OPEN, null);
    }

    @Test
    void listAllDomainsAndLookupRepliesAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> list = Vectors.read("02-list-all-domains.hex");
        assertEquals("ListAll[needResults=true, flags=3]",
            decodeArgs(list.get(0), RemoteProcedure.CONNECT_LIST_ALL_DOMAINS).toString());
        assertArrayEquals(list.get(1).bytes(), replyBytes(list.get(1), RemoteProcedure.CONNECT_LIST_ALL_DOMAINS,
            listAllResult(List.of(PEER_TINY), 1)));
        List<Vectors.Line> lookup = Vectors.read("03-domain-lookup-by-name.hex");
        assertEquals("peer-tiny", decodeArgs(lookup.get(0), RemoteProcedure.DOMAIN_LOOKUP_BY_NAME));
        assertReply(lookup.get(1), RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, PEER_TINY);
    }

    @Test
    void xmlDescArgumentsAndReplyAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("04-domain-get-xml-desc.hex");
        assertEquals("DomainAndFlags[dom=" + PEER_TINY + ", flags=0]",
            decodeArgs(lines.get(0), RemoteProcedure.DOMAIN_GET_XML_DESC).toString());
        Packet reply = packet(lines.get(1));
        String xml = Types.readString(reply.payload());
        assertEquals(1231, xml.length());
        assertReply(lines.get(1), RemoteProcedure.DOMAIN_GET_XML_DESC, xml);
    }

    @Test
    void errorRepliesBuiltByJvirtdAreLibvirtsBytes() throws Exception {
        assertError("05-error-reply-lookup-by-uuid.hex", 1, RpcErrors.build(ErrorCode.NO_DOMAIN, 10,
            "no domain with matching uuid '6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b70'"));
        assertError("10-call-before-open.hex", 1, RpcErrors.hypervisorNotOpen());
        assertError("11-unknown-procedure.hex", 3, RpcErrors.unknownProcedure(9999));
        assertError("12-unknown-program.hex", 1, RpcErrors.unknownProgram(0x11223344, 1));
        assertError("14-supports-feature-before-open.hex", 1, RpcErrors.hypervisorNotOpen());
        assertError("15-open-null-name.hex", 1, RpcErrors.notOpen());
        assertError("17-readonly-socket-define-denied.hex", 5, RpcErrors.readOnly("virDomainDefineXML"));
    }

    @Test
    void eventRegistrationAndLifecycleMessageAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("06-event-register-and-lifecycle.hex");
        assertEquals("CallbackRegister[eventId=0, dom=null]",
            decodeArgs(lines.get(0), RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY).toString());
        assertReply(lines.get(1), RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 0);
        DomainRef running = new DomainRef(PEER_TINY.name(), PEER_TINY.uuid(), 4);
        DomainEvent resumed = new DomainEvent("qemu", running, DomainEventType.RESUMED, 0);
        assertArrayEquals(lines.get(2).bytes(), bytes(Events.callbackLifecycle(0, resumed)));
    }

    @Test
    void keepalivePingAndPongAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("07-keepalive-ping-pong.hex");
        assertArrayEquals(lines.get(0).bytes(), bytes(org.jvirtd.rpc.server.Keepalive.ping()));
        assertArrayEquals(lines.get(1).bytes(), bytes(org.jvirtd.rpc.server.Keepalive.pong()));
    }

    @Test
    void streamDataPacketsAreLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("09-stream-vol-download.hex");
        Packet data = packet(lines.get(2));
        assertEquals(MessageType.STREAM, data.header().type());
        assertEquals(MessageStatus.CONTINUE, data.header().status());
        assertEquals(10000, data.payloadLength());
        byte[] payload = Arrays.copyOfRange(data.body(), 24, data.body().length);
        assertArrayEquals(lines.get(2).bytes(), bytes(Packet.encodeRaw(data.header(), payload, 0, payload.length)));
        Packet eof = packet(lines.get(3));
        assertArrayEquals(lines.get(3).bytes(), bytes(Packet.encodeRaw(eof.header(), new byte[0], 0, 0)));
    }

    @Test
    void readOnlyUriReplyIsLibvirtsBytes() throws Exception {
        List<Vectors.Line> lines = Vectors.read("17-readonly-socket-define-denied.hex");
        assertReply(lines.get(3), RemoteProcedure.CONNECT_GET_URI, "qemu:///system");
        assertNull(decodeArgs(lines.get(2), RemoteProcedure.CONNECT_GET_URI));
    }

    private static Object listAllResult(List<DomainRef> domains, int count) throws Exception {
        Class<?> type = Class.forName("org.jvirtd.rpc.procedures.DomainProcedures$ListAllResult");
        var constructor = type.getDeclaredConstructor(List.class, int.class);
        constructor.setAccessible(true);
        return constructor.newInstance(domains, count);
    }

    private static void assertError(String file, int index, RemoteError expected) throws Exception {
        Vectors.Line line = Vectors.read(file).get(index);
        Packet packet = packet(line);
        assertArrayEquals(line.bytes(), bytes(Packet.encode(packet.header(), expected::write)), file);
    }

    private static Packet packet(Vectors.Line line) {
        return Packet.parse(Arrays.copyOfRange(line.bytes(), 4, line.bytes().length));
    }

    private static Object decodeArgs(Vectors.Line line, RemoteProcedure procedure) {
        Packet packet = packet(line);
        assertEquals(procedure.number(), packet.header().procedure());
        XdrReader in = packet.payload();
        Object args = TABLE.binding(procedure).args().apply(in);
        assertEquals(0, in.remaining(), "bytes left after the arguments");
        return args;
    }

    private static void assertReply(Vectors.Line line, RemoteProcedure procedure, Object value) {
        assertArrayEquals(line.bytes(), replyBytes(line, procedure, value),
            () -> procedure + " reply differs: " + HexFormat.of().formatHex(replyBytes(line, procedure, value)));
    }

    @SuppressWarnings("unchecked")
    private static byte[] replyBytes(Vectors.Line line, RemoteProcedure procedure, Object value) {
        Packet packet = packet(line);
        ProcedureBinding<?, ?> binding = TABLE.binding(procedure);
        BiConsumer<XdrWriter, Object> ret = (BiConsumer<XdrWriter, Object>) binding.ret();
        return bytes(Packet.encode(packet.header(), out -> ret.accept(out, value)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }
}
