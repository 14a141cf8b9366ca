package org.jvirtd.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.core.config.DaemonLogging;
import org.jvirtd.core.config.DaemonTimeout;
import org.jvirtd.rpc.admin.AdminProgram;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Outbox;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The admin program's argument decoders (virt-admin's procedures 1-19), through AdminProgram's own dispatch:
 * the first byte of an input picks the procedure, the rest is its payload. Dispatch answers every input
 * with a reply packet (OK, or ERROR for bad arguments, unknown servers and clients); an exception out of it
 * would take the admin connection down. The daemon has no servers here, so nothing a call sets takes effect.
 * Seeds are made here: each procedure with an empty, a zero-filled and a "libvirtd"-server payload.
 */
class AdminArgsFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("admin-args");
    private static final AdminProgram ADMIN = new AdminProgram(Map.of(), new MemoryLogging(), new MemoryTimeout(),
        null);
    private static final ClientState CLIENT = new ClientState(false, true, new Outbox() {
        @Override
        public void send(ByteBuffer packet) {
        }

        @Override
        public void closeAfterFlush() {
        }

        @Override
        public void startKeepalive() {
        }
    });

    /** Logging settings kept in memory: the fuzzer must not reconfigure the test JVM's logging. */
    private static final class MemoryLogging implements DaemonLogging {
        private volatile String filters = "";
        private volatile String outputs = "";

        @Override
        public String filters() {
            return filters;
        }

        @Override
        public String outputs() {
            return outputs;
        }

        @Override
        public void setFilters(String newFilters) {
            filters = newFilters;
        }

        @Override
        public void setOutputs(String newOutputs) {
            outputs = newOutputs;
        }
    }

    private static final class MemoryTimeout implements DaemonTimeout {
        private volatile long seconds;

        @Override
        public long timeoutSeconds() {
            return seconds;
        }

        @Override
        public void setTimeoutSeconds(long newSeconds) {
            seconds = newSeconds;
        }
    }

    static List<byte[]> seeds() {
        byte[] server = ByteBuffer.allocate(16).putInt(8).put(SeedCorpus.utf8("libvirtd")).putInt(0).array();
        List<byte[]> seeds = new ArrayList<>();
        for (int procedure = 1; procedure <= 19; procedure++) {
            for (byte[] payload : List.of(new byte[0], new byte[32], server)) {
                seeds.add(ByteBuffer.allocate(1 + payload.length).put((byte) procedure).put(payload).array());
            }
        }
        return seeds;
    }

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(AdminArgsFuzzTest.class, "dispatch", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void dispatch(byte[] input) {
        TALLY.count();
        if (input.length > 0) {
            reply(input);
        }
    }

    static ByteBuffer reply(byte[] input) {
        int procedure = (input[0] & 0xff) % 21;
        byte[] body = ByteBuffer.allocate(Protocol.HEADER_SIZE + input.length - 1)
            .putInt(AdminProgram.PROGRAM).putInt(Protocol.VERSION).putInt(procedure)
            .putInt(MessageType.CALL.number()).putInt(1).putInt(MessageStatus.OK.number())
            .put(input, 1, input.length - 1).array();
        return ADMIN.dispatch(CLIENT, Packet.parse(body));
    }

    @Test
    void everySeedGetsAReplyOfItsCall() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (byte[] seed : seeds()) {
            ByteBuffer reply = reply(seed);
            Header header = Header.read(new XdrReader(reply.array(), Protocol.LENGTH_WORD,
                Protocol.HEADER_SIZE));
            assertEquals(MessageType.REPLY, header.type());
            assertEquals(seed[0], header.procedure());
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
