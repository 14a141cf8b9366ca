package org.jvirtd.rpc.server;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.Packet;

/**
 * A client that does everything right, calling every 20 ms from its own thread (CONNECT_GET_TYPE, answered
 * on the I/O thread, then CONNECT_LIST_ALL_DOMAINS, answered by a worker) and timing each call, so a test
 * can see what an attack on the daemon costs the others.
 */
final class WellBehavedClient implements AutoCloseable {
    private final RawClient client;
    private final Latency latency = new Latency();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String firstFailure;

    WellBehavedClient(Path socket) throws Exception {
        client = new RawClient(socket);
        client.open();
        thread = new Thread(this::loop, "well-behaved-client");
        thread.start();
    }

    private void loop() {
        boolean list = false;
        while (running) {
            long start = System.nanoTime();
            try {
                Packet reply = list
                    ? client.roundTrip(273, out -> out.writeInt(1).writeInt(0))
                    : client.roundTrip(3, null);
                latency.add(System.nanoTime() - start);
                if (reply.header().status() != MessageStatus.OK) {
                    fail("call failed: " + RawClient.error(reply).message());
                }
                list = !list;
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                fail(e.toString());
            }
        }
    }

    private void fail(String why) {
        if (firstFailure == null) {
            firstFailure = why;
        }
        failures.incrementAndGet();
    }

    Latency latency() {
        return latency;
    }

    int failures() {
        return failures.get();
    }

    String firstFailure() {
        return firstFailure;
    }

    @Override
    public void close() throws Exception {
        if (running) {
            running = false;
            thread.join(15_000);
            client.close();
        }
    }
}
