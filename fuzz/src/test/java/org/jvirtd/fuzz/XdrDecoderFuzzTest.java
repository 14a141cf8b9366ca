package org.jvirtd.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.PacketFramer;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bytes a client sends, as the server reads them: the packet framer cut at an arbitrary read size (the
 * input's first byte), each packet's header, and its payload walked with every XdrReader item type (the
 * payload's own words choose the next item). Only XdrException may stop it: a bad length word ends the
 * connection, a bad header or item gets an error reply. Seeds: the client packets of the protocol vectors.
 */
class XdrDecoderFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("xdr-decoder");
    private static final long STRING_MAX = 4 * 1024 * 1024;

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (byte[] packet : SeedCorpus.clientPackets()) {
            seeds.add(ByteBuffer.allocate(1 + packet.length).put((byte) 7).put(packet).array());
        }
        return seeds;
    }

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(XdrDecoderFuzzTest.class, "read", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void read(byte[] input) {
        TALLY.count();
        if (input.length > 0) {
            readStream(1 + (input[0] & 0x3f), ByteBuffer.wrap(input, 1, input.length - 1));
        }
    }

    /** Feeds {@code stream} to a framer {@code readSize} bytes at a time; returns the packets it cut. */
    static int readStream(int readSize, ByteBuffer stream) {
        PacketFramer framer = new PacketFramer();
        int packets = 0;
        try {
            while (stream.hasRemaining()) {
                ByteBuffer read = stream.slice(stream.position(), Math.min(readSize, stream.remaining()));
                stream.position(stream.position() + read.remaining());
                for (byte[] body = framer.next(read); body != null; body = framer.next(read)) {
                    packets++;
                    readPacket(body);
                }
            }
        } catch (XdrException badLengthWord) {
            // the server drops such a client
        }
        return packets;
    }

    private static void readPacket(byte[] body) {
        try {
            walk(Packet.parse(body).payload());
        } catch (XdrException badItem) {
            // answered with an error reply
        }
    }

    private static void walk(XdrReader in) {
        while (in.remaining() > 0) {
            switch (in.readInt() & 7) {
                case 0 -> in.readString(STRING_MAX);
                case 1 -> in.readOpaque(STRING_MAX);
                case 2 -> in.readArray(16384, 4, XdrReader::readHyper);
                case 3 -> in.readUuid();
                case 4 -> in.readOptional(item -> item.readString(256));
                case 5 -> in.readArray(1024, 8, item -> item.readOptional(XdrReader::readUnsignedInt));
                case 6 -> in.readFixedOpaque(in.readInt() & 0xff);
                default -> in.readBool();
            }
        }
    }

    @Test
    void everyVectorPacketIsCutWholeAtAnyReadSize() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (byte[] seed : seeds()) {
            for (int readSize = 1; readSize <= 64; readSize += 9) {
                assertEquals(1, readStream(readSize, ByteBuffer.wrap(seed, 1, seed.length - 1)));
            }
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
