package org.jvirtd.rpc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.connect.Connection;

/**
 * A driver that closes a connection on its own (core's test driver never does, so a stand-in
 * connection plays that part): the client hears CONNECT_EVENT_CONNECTION_CLOSED only if it registered.
 */
class CloseCallbackTest {
    private final List<IntConsumer> listeners = new ArrayList<>();
    private final List<ByteBuffer> sent = new ArrayList<>();

    private Connection closingConnection() {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "onClose" -> {
                    listeners.add((IntConsumer) args[0]);
                    yield (AutoCloseable) () -> listeners.remove(args[0]);
                }
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    private ClientState client() {
        return new ClientState(false, true, new Outbox() {
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
        });
    }

    @Test
    void registeredClientGetsConnectionClosedWithTheReason() {
        ClientState client = client();
        client.open(closingConnection(), false);
        client.closeCallback(true);
        listeners.forEach(listener -> listener.accept(1));
        assertEquals(1, sent.size());
        // MESSAGE, proc 362, serial 1, reason 1 (VIR_CONNECT_CLOSE_REASON_EOF)
        assertEquals("0000002020008086000000010000016a00000002000000010000000000000001",
            HexFormat.of().formatHex(sent.get(0).array(), 0, sent.get(0).limit()));
    }

    @Test
    void unregisteredClientHearsNothingAndReleaseUnsubscribes() {
        ClientState client = client();
        client.open(closingConnection(), false);
        listeners.forEach(listener -> listener.accept(0));
        assertEquals(0, sent.size());
        client.release();
        assertEquals(0, listeners.size());
    }
}
