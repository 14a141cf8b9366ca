package org.jvirtd.rpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;

/** virNetStreamHole, the payload of a STREAM_HOLE packet, and the packet around it. */
class StreamHoleTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void holePacketIsHeaderOfTheOpeningCallThenHyperLengthAndFlags() {
        Header call = new Header(Protocol.REMOTE_PROGRAM, 1, 209, MessageType.CALL, 7, MessageStatus.OK);
        ByteBuffer packet = new StreamHole(0x1_2345_6789L, 0).encode(call);
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        assertEquals("00000028" // length: 4 + 24 + 12
            + "20008086" // prog REMOTE
            + "00000001" // vers
            + "000000d1" // proc 209 STORAGE_VOL_DOWNLOAD
            + "00000006" // type STREAM_HOLE
            + "00000007" // serial of the opening call
            + "00000002" // status CONTINUE
            + "0000000123456789" // hyper length
            + "00000000", // unsigned flags
            HEX.formatHex(bytes));
    }

    @Test
    void payloadDecodesToLengthAndFlags() {
        byte[] payload = HEX.parseHex("7fffffffffffffff" + "00000000");
        assertEquals(new StreamHole(Long.MAX_VALUE, 0), StreamHole.read(new XdrReader(payload)));
    }

    @Test
    void encodeThenDecodeGivesTheSameHole() {
        StreamHole hole = new StreamHole(64L << 30, 0);
        ByteBuffer packet = hole.encode(new Header(1, 1, 208, MessageType.CALL, 3, MessageStatus.OK));
        byte[] body = new byte[packet.remaining() - Protocol.LENGTH_WORD];
        packet.position(Protocol.LENGTH_WORD).get(body);
        Packet parsed = Packet.parse(body);
        assertEquals(MessageType.STREAM_HOLE, parsed.header().type());
        assertEquals(StreamHole.SIZE, parsed.payloadLength());
        assertEquals(hole, StreamHole.read(parsed.payload()));
    }

    @Test
    void shortPayloadIsRejected() {
        byte[] payload = HEX.parseHex("0000000000001000");
        assertThrows(XdrException.class, () -> StreamHole.read(new XdrReader(payload)));
    }

    @Test
    void negativeLengthIsRejected() {
        byte[] payload = HEX.parseHex("fffffffffffff000" + "00000000");
        assertThrows(XdrException.class, () -> StreamHole.read(new XdrReader(payload)));
    }

    @Test
    void trailingBytesAreIgnoredAsLibvirtIgnoresThem() {
        byte[] payload = HEX.parseHex("0000000000001000" + "00000000" + "deadbeef");
        assertEquals(new StreamHole(0x1000, 0), StreamHole.read(new XdrReader(payload)));
    }

    @Test
    void flagsTravelUnchanged() {
        byte[] payload = HEX.parseHex("0000000000000200" + "ffffffff");
        StreamHole hole = StreamHole.read(new XdrReader(payload));
        assertEquals(-1, hole.flags());
        org.jvirtd.rpc.xdr.XdrWriter out = new org.jvirtd.rpc.xdr.XdrWriter();
        hole.write(out);
        assertArrayEquals(payload, out.toByteArray());
    }
}
