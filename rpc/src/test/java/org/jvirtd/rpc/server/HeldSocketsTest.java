package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.core.listen.HeldSockets;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.Priority;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;

/**
 * Two servers one after the other on core's real SocketHolder, as across an update of the rpc bundle: a
 * client that connects between them is not refused and gets its answer from the second.
 */
class HeldSocketsTest {
    private static final ServerSettings SETTINGS = new ServerSettings(50, 100, 2, 4, 2, 3, 1, 1);

    @TempDir
    Path dir;

    /** Answers every call with "unknown procedure: N": enough to tell a served call from a refused one. */
    private static final Program ANSWERS = new Program() {
        @Override
        public int number() {
            return Protocol.REMOTE_PROGRAM;
        }

        @Override
        public Priority priority(int procedure) {
            return Priority.LOW;
        }

        @Override
        public ByteBuffer dispatch(ClientState client, Packet call) {
            return Dispatcher.error(call.header(), RpcErrors.unknownProcedure(call.header().procedure()));
        }
    };

    private static HeldSockets holder() throws ReflectiveOperationException {
        return (HeldSockets) Class.forName("org.jvirtd.core.internal.SocketHolder").getConstructor().newInstance();
    }

    private static void stop(HeldSockets holder) throws ReflectiveOperationException {
        Method deactivate = holder.getClass().getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(holder);
    }

    private List<Listener> listeners(Path socket) {
        return List.of(Listener.unix(socket, false, null, null));
    }

    private static String answer(RawClient client, int procedure) throws IOException {
        return RawClient.error(client.roundTrip(procedure, null)).message();
    }

    @Test
    void aClientConnectingBetweenTwoServersWaitsForTheSecond() throws Exception {
        Path socket = dir.resolve("libvirt-sock");
        HeldSockets holder = holder();
        try (RpcServer first = new RpcServer(ANSWERS, SETTINGS, listeners(socket), holder);
             RawClient before = new RawClient(socket)) {
            assertEquals("unknown procedure: 7001", answer(before, 7001));
        }
        assertTrue(Files.exists(socket), "the socket file stays while the socket is held");
        try (RawClient between = new RawClient(socket)) {
            int serial = between.call(7002, null);
            assertEquals(null, between.read(300), "nobody answers while no server runs");
            try (RpcServer second = new RpcServer(ANSWERS, SETTINGS, listeners(socket), holder)) {
                Packet reply = between.read(10_000);
                assertNotNull(reply, "the second server answers the call made while none ran");
                assertEquals(serial, reply.header().serial());
                assertEquals("unknown procedure: 7002", RawClient.error(reply).message());
            }
        }
        stop(holder);
        assertFalse(Files.exists(socket), "stopping the holder closes the socket and removes its file");
        assertThrows(IOException.class, () -> new RawClient(socket).close());
    }

    @Test
    void withoutAHolderAStoppedServerRefusesClients() throws Exception {
        Path socket = dir.resolve("libvirt-sock");
        new RpcServer(ANSWERS, SETTINGS, listeners(socket), null).close();
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> new RawClient(socket).close());
    }

    @Test
    void aSocketNoServerTakesBackIsClosedInTime() throws Exception {
        Path socket = dir.resolve("libvirt-sock");
        Class<?> holderClass = Class.forName("org.jvirtd.core.internal.SocketHolder");
        var constructor = holderClass.getDeclaredConstructor(long.class);
        constructor.setAccessible(true);
        HeldSockets holder = (HeldSockets) constructor.newInstance(200L);
        new RpcServer(ANSWERS, SETTINGS, listeners(socket), holder).close();
        long deadline = System.currentTimeMillis() + 10_000;
        while (Files.exists(socket) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(socket), "a held socket expires");
        assertThrows(IOException.class, () -> new RawClient(socket).close());
        stop(holder);
    }
}
