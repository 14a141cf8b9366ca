package org.jvirtd.rpc.procedures;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.fuzz.FuzzMode;
import org.jvirtd.fuzz.FuzzTally;
import org.jvirtd.fuzz.SeedCorpus;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Outbox;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.StreamHole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stream decoder of a (sparse) vol-upload: the input is a run of STREAM data and STREAM_HOLE packets
 * (a kind byte, a length byte, that many bytes) fed to the daemon's VolumeUpload over a volume in memory.
 * It must do exactly what a plain model of the stream says: data lands at the current offset, a hole moves
 * the offset by its decoded length, and the stream ends with one STREAM ERROR, and no further writes, when
 * the model says it fails (a hole on a non-sparse stream, a short or negative hole, an offset overflow, a
 * full volume). Seeds are made here: data, holes and data again, the sparse upload virsh sends.
 */
class StreamHoleFuzzTest {
    private static final int CAPACITY = 1 << 16;
    private static final Header CALL = new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION,
        RemoteProcedure.STORAGE_VOL_UPLOAD.number(), MessageType.CALL, 7, MessageStatus.OK);
    private static final FuzzTally TALLY = new FuzzTally("stream-hole");

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(StreamHoleFuzzTest.class, "upload", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void upload(byte[] input) {
        TALLY.count();
        check(input);
    }

    static void check(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean sparse = (input[0] & 1) != 0;
        List<ByteBuffer> sent = new ArrayList<>();
        Outbox outbox = new Outbox() {
            @Override
            public void send(ByteBuffer packet) {
                sent.add(packet);
            }

            @Override
            public void closeAfterFlush() {
            }

            @Override
            public void startKeepalive() {
            }
        };
        MemoryVolume volume = new MemoryVolume(CAPACITY);
        VolumeUpload upload = new VolumeUpload(new ClientState(false, true, outbox), CALL, volume, sparse);
        StreamModel model = new StreamModel(CAPACITY, sparse);
        int at = 1;
        while (at + 2 <= input.length) {
            boolean hole = (input[at] & 1) != 0;
            int length = Math.min(input[at + 1] & 0xff, input.length - at - 2);
            int offset = at + 2;
            if (hole) {
                upload.hole(input, offset, length);
                model.hole(input, offset, length);
            } else {
                upload.receive(input, offset, length);
                model.data(input, offset, length);
            }
            at = offset + length;
        }
        assertEquals(model.failed() ? 1 : 0, sent.size(), "STREAM ERROR replies");
        if (model.failed()) {
            assertEquals(MessageStatus.ERROR.number(), sent.get(0).getInt(Protocol.LENGTH_WORD + 20));
        } else {
            assertArrayEquals(model.content(), volume.content());
        }
    }

    static byte[] seed(boolean sparse, long hole) {
        ByteBuffer seed = ByteBuffer.allocate(64).put((byte) (sparse ? 1 : 0));
        seed.put((byte) 0).put((byte) 5).put(new byte[] {1, 2, 3, 4, 5});
        seed.put((byte) 1).put((byte) StreamHole.SIZE).putLong(hole).putInt(0);
        seed.put((byte) 0).put((byte) 3).put(new byte[] {6, 7, 8});
        return Arrays.copyOf(seed.array(), seed.position());
    }

    static List<byte[]> seeds() {
        return List.of(seed(true, 4096), seed(false, 4096), seed(true, -1), seed(true, Long.MAX_VALUE),
            seed(true, Long.MAX_VALUE - 4), seed(true, CAPACITY));
    }

    @Test
    void dataHoleDataLandsWhereTheHoleSays() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        seeds().forEach(StreamHoleFuzzTest::check);
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
