package org.jvirtd.rpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The framer's memory follows the bytes a client sent, not the length it announced. */
class PacketFramerTest {
    @Test
    void aPacketAnnouncedAt32MiBHoldsOnlyWhatArrived() {
        PacketFramer framer = new PacketFramer();
        ByteBuffer start = ByteBuffer.allocate(4 + 100).putInt(Protocol.LENGTH_WORD + Protocol.MESSAGE_MAX);
        assertNull(framer.next(start.flip()));
        assertTrue(framer.reservedBytes() <= PacketFramer.FIRST_RESERVE,
            "a 32 MiB announcement reserved " + framer.reservedBytes() + " bytes after 100 arrived");
    }

    @Test
    void aBigPacketIsCutWholeWhateverTheReadSize() {
        byte[] payload = new byte[3 * PacketFramer.FIRST_RESERVE + 17];
        new Random(20).nextBytes(payload);
        ByteBuffer stream = ByteBuffer.allocate(4 + payload.length + 4 + 28)
            .putInt(4 + payload.length).put(payload).putInt(32).put(new byte[28]).flip();
        PacketFramer framer = new PacketFramer();
        byte[] first = null;
        byte[] second = null;
        while (stream.hasRemaining()) {
            ByteBuffer read = stream.slice(stream.position(), Math.min(1000, stream.remaining()));
            stream.position(stream.position() + read.remaining());
            for (byte[] body = framer.next(read); body != null; body = framer.next(read)) {
                if (first == null) {
                    first = body;
                } else {
                    second = body;
                }
                assertTrue(read.remaining() >= 0);
            }
        }
        assertArrayEquals(payload, first);
        assertEquals(28, second.length);
    }

    @Test
    void descriptorBytesAreDroppedBeforeTheNextPacketEvenWhenTheyArriveLater() {
        PacketFramer framer = new PacketFramer();
        framer.skipDescriptorBytes(2);
        assertNull(framer.next(ByteBuffer.wrap(new byte[] {0})), "one of the two bytes so far");
        ByteBuffer rest = ByteBuffer.allocate(1 + 4 + 28).put((byte) 0).putInt(32).put(new byte[28]).flip();
        assertEquals(28, framer.next(rest).length);
        org.junit.jupiter.api.Assertions.assertThrows(org.jvirtd.rpc.xdr.XdrException.class,
            () -> framer.skipDescriptorBytes(33), "more than VIR_NET_MESSAGE_NUM_FDS_MAX");
    }
}
