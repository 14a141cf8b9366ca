package org.jvirtd.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.dispatch.ProcedureBinding;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bound procedure's argument decoder, driven through rpc's own procedure table: the first two bytes of
 * an input pick a bound procedure, the rest is its payload. Decoding either succeeds or fails with an
 * XdrException (which the dispatcher answers "Unable to decode message payload") or a VirtException (a
 * libvirt error reply); anything else would be an internal error reply or worse. Seeds: the payload of every
 * client packet in the protocol vectors, and an empty and a zero-filled payload for every procedure.
 */
class ProcedureArgsFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("procedure-args");
    private static final List<ProcedureBinding<?, ?>> BOUND = boundProcedures();

    private static List<ProcedureBinding<?, ?>> boundProcedures() {
        ProcedureTable table = RemoteProgram.table(null);
        List<ProcedureBinding<?, ?>> bound = new ArrayList<>();
        for (RemoteProcedure procedure : RemoteProcedure.values()) {
            if (table.binding(procedure) != null) {
                bound.add(table.binding(procedure));
            }
        }
        return bound;
    }

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < BOUND.size(); i++) {
            seeds.add(seed(i, new byte[0]));
            seeds.add(seed(i, new byte[64]));
        }
        for (byte[] packet : SeedCorpus.clientPackets()) {
            ByteBuffer header = ByteBuffer.wrap(packet);
            int procedure = header.getInt(12);
            for (int i = 0; i < BOUND.size(); i++) {
                if (header.getInt(4) == Protocol.REMOTE_PROGRAM && BOUND.get(i).procedure().number() == procedure) {
                    seeds.add(seed(i, Arrays.copyOfRange(packet, Protocol.LENGTH_WORD + Protocol.HEADER_SIZE,
                        packet.length)));
                }
            }
        }
        return seeds;
    }

    private static byte[] seed(int index, byte[] payload) {
        return ByteBuffer.allocate(2 + payload.length).putShort((short) index).put(payload).array();
    }

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(ProcedureArgsFuzzTest.class, "decode", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) {
        TALLY.count();
        if (input.length < 2) {
            return;
        }
        int index = ((input[0] & 0xff) << 8 | (input[1] & 0xff)) % BOUND.size();
        decodeArgs(BOUND.get(index), new XdrReader(input, 2, input.length - 2));
    }

    static void decodeArgs(ProcedureBinding<?, ?> binding, XdrReader payload) {
        try {
            binding.args().apply(payload);
        } catch (XdrException | VirtException documented) {
            // the dispatcher's two libvirt-style answers to bad arguments
        }
    }

    @Test
    void theTableHasProceduresAndEverySeedDecodes() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        assertTrue(BOUND.size() > 150, "only " + BOUND.size() + " bound procedures");
        for (byte[] seed : seeds()) {
            int index = ((seed[0] & 0xff) << 8 | (seed[1] & 0xff)) % BOUND.size();
            decodeArgs(BOUND.get(index), new XdrReader(seed, 2, seed.length - 2));
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
