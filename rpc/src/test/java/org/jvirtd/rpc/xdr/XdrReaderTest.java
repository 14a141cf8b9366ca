package org.jvirtd.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The bounds the decoder enforces before it allocates anything. */
class XdrReaderTest {
    @Test
    void stringLongerThanItsBoundIsRefused() {
        byte[] bytes = new XdrWriter().writeString("abcdef").toByteArray();
        XdrException e = assertThrows(XdrException.class, () -> new XdrReader(bytes).readString(5));
        assertTrue(e.getMessage().contains("exceeds maximum 5"));
    }

    @Test
    void lengthWordBeyondTheBytesSentIsRefusedWithoutAllocating() {
        byte[] bytes = new XdrWriter().writeInt(4_000_000).toByteArray();
        assertThrows(XdrException.class, () -> new XdrReader(bytes).readString(4_194_304));
        byte[] array = new XdrWriter().writeInt(16_000).writeInt(1).toByteArray();
        assertThrows(XdrException.class, () -> new XdrReader(array).readArray(16_384, 4, XdrReader::readInt));
    }

    @Test
    void anyNonZeroBoolIsTrueAsXdrBoolDecodesIt() {
        for (int word : new int[] {1, 2, 0x01000000, -1}) {
            assertTrue(new XdrReader(new XdrWriter().writeInt(word).toByteArray()).readBool(), "word " + word);
        }
        assertFalse(new XdrReader(new XdrWriter().writeInt(0).toByteArray()).readBool());
    }

    @Test
    void anyNonZeroDiscriminantMeansTheOptionalIsPresent() {
        byte[] bytes = new XdrWriter().writeInt(0x01000000).writeString("x").toByteArray();
        assertEquals("x", new XdrReader(bytes).readOptional(r -> r.readString(10)));
    }

    @Test
    void stringPaddingIsSkippedUnchecked() {
        byte[] bytes = {0, 0, 0, 1, 'a', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 7};
        XdrReader in = new XdrReader(bytes);
        assertEquals("a", in.readString(10));
        assertEquals(7, in.readInt());
    }

    @Test
    void aStringEndsAtItsFirstNulButConsumesAllItsBytes() {
        byte[] bytes = new XdrWriter().writeString("ab\0cdef").writeInt(7).toByteArray();
        XdrReader in = new XdrReader(bytes);
        assertEquals("ab", in.readString(100));
        assertEquals(7, in.readInt());
        assertEquals(0, in.remaining());
    }

    @Test
    void valuesRoundTripWithPadding() {
        UUID uuid = UUID.fromString("6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b70");
        byte[] bytes = new XdrWriter().writeString("peer-tiny").writeUuid(uuid).writeHyper(-2L)
            .writeOptional("x", XdrWriter::writeString).writeOptional(null, XdrWriter::writeString)
            .writeArray(List.of(1, 2), XdrWriter::writeInt).toByteArray();
        assertEquals(4 + 12 + 16 + 8 + 4 + 8 + 4 + 4 + 8, bytes.length);
        XdrReader in = new XdrReader(bytes);
        assertEquals("peer-tiny", in.readString(100));
        assertEquals(uuid, in.readUuid());
        assertEquals(-2L, in.readHyper());
        assertEquals("x", in.readOptional(r -> r.readString(10)));
        assertNull(in.readOptional(r -> r.readString(10)));
        assertEquals(List.of(1, 2), in.readArray(10, 4, XdrReader::readInt));
        assertEquals(0, in.remaining());
        assertArrayEquals(new byte[] {0, 0, 0, 9}, java.util.Arrays.copyOf(bytes, 4));
    }
}
