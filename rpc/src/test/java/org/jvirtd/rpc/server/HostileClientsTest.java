package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrWriter;

import static org.awaitility.Awaitility.await;

/**
 * Clients that misbehave on purpose, each phase while a well-behaved client keeps calling and its latency is
 * measured: clients that trickle their packets a byte at a time, clients that announce a 32 MiB packet and
 * go silent (half-open), clients that pipeline calls and never read a reply or event, keepalive clients
 * that stop answering, and 1000 connection attempts beyond max_clients. Each may cost only its own
 * connection: the daemon keeps answering the good client, drops the dead and the non-readers, and holds no
 * memory for bytes that never came.
 */
class HostileClientsTest {
    private static final int MAX_CLIENTS = 80;
    private static final int KEEPALIVE_INTERVAL = 1;
    private static final int KEEPALIVE_COUNT = 2;

    private InProcessDaemon daemon;
    private final List<AutoCloseable> attackers = Collections.synchronizedList(new ArrayList<>());
    private WellBehavedClient good;

    @BeforeEach
    void start() throws Exception {
        daemon = new InProcessDaemon(new ServerSettings(MAX_CLIENTS, 16, 5, 20, 5, 5, KEEPALIVE_INTERVAL,
            KEEPALIVE_COUNT));
        good = new WellBehavedClient(daemon.socket());
    }

    @AfterEach
    void stop() throws Exception {
        good.close();
        for (AutoCloseable attacker : attackers) {
            attacker.close();
        }
        daemon.close();
    }

    @Test
    void everyAttackCostsOnlyItsOwnConnection() throws Exception {
        trickleClientsAreAnsweredInTheEnd();
        halfOpenClientsHoldNoMemoryForBytesNeverSent();
        clientsThatNeverReadAreDropped();
        deadKeepaliveClientsAreDropped();
        connectionsBeyondMaxClientsWaitOrAreRefused();
        good.close();
        Latency latency = good.latency();
        System.out.printf("hostile clients: well-behaved client made %d calls during the attacks, "
            + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed%n", latency.count(), latency.p50(),
            latency.p99(), latency.max(), good.failures());
        assertEquals(0, good.failures(), "the well-behaved client's calls failed: " + good.firstFailure());
        assertTrue(latency.count() > 100, "only " + latency.count() + " calls were made");
        assertTrue(latency.p99() < 2000, "p99 latency " + latency.p99() + " ms");
    }

    /** 20 clients send a call a byte every 10 ms; each gets its reply once its packet is whole. */
    private void trickleClientsAreAnsweredInTheEnd() throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            RawClient slow = attacker(new RawClient(daemon.socket()));
            Thread thread = new Thread(() -> {
                try {
                    ByteBuffer call = Packet.encode(new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION, 3,
                        MessageType.CALL, 1, MessageStatus.OK), null);
                    byte[] bytes = new byte[call.remaining()];
                    call.get(bytes);
                    for (byte b : bytes) {
                        slow.sendRaw(new byte[] {b});
                        Thread.sleep(10);
                    }
                    Packet reply = slow.read(10_000);
                    if (reply != null && reply.header().serial() == 1) {
                        answered.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    // counted as not answered
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertEquals(20, answered.get(), "trickling clients answered");
    }

    /** 40 clients announce a 32 MiB packet, send 100 bytes of it and stay connected without a word more. */
    private void halfOpenClientsHoldNoMemoryForBytesNeverSent() throws Exception {
        long before = heapUsedAfterGc();
        for (int i = 0; i < 40; i++) {
            RawClient halfOpen = attacker(new RawClient(daemon.socket()));
            halfOpen.sendRaw(ByteBuffer.allocate(104).putInt(Protocol.LENGTH_WORD + Protocol.MESSAGE_MAX).array());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server().clientCount() >= 61);
        Thread.sleep(500);
        long grown = heapUsedAfterGc() - before;
        System.out.printf("hostile clients: 40 half-open 32 MiB announcements grew the heap by %d KiB%n",
            grown / 1024);
        assertTrue(grown < 256L * 1024 * 1024, "40 announced packets hold " + grown / (1024 * 1024) + " MiB");
    }

    /**
     * 3 clients register for domain lifecycle events, then pipeline capabilities calls and never read, while
     * another client redefines a domain over and over (each a DEFINED event for the three): each non-reader
     * is dropped once its unread replies and events pass the output limit, and nobody else is.
     */
    private void clientsThatNeverReadAreDropped() throws Exception {
        closeAttackers();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger dropped = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            SocketChannel channel = attacker(SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket())));
            Thread thread = new Thread(() -> {
                try {
                    write(channel, 66, 1, null);
                    write(channel, 1, 2, out -> out.writeBool(true).writeString("test:///default").writeInt(0));
                    Thread.sleep(300);
                    write(channel, 316, 3, out -> out.writeInt(0).writeInt(0));
                    for (int serial = 4; ; serial++) {
                        write(channel, 7, serial, null);
                    }
                } catch (IOException closedByTheServer) {
                    dropped.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        AtomicBoolean defining = new AtomicBoolean(true);
        AtomicInteger events = new AtomicInteger();
        Thread definer = new Thread(() -> {
            try (RawClient client = new RawClient(daemon.socket())) {
                client.open();
                String xml = "<domain type='test'><name>noisy</name><memory>131072</memory>"
                    + "<os><type>hvm</type></os></domain>";
                while (defining.get()) {
                    client.roundTrip(11, out -> out.writeString(xml));
                    events.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        definer.start();
        try {
            for (Thread thread : threads) {
                thread.join(120_000);
            }
        } finally {
            defining.set(false);
            definer.join(10_000);
        }
        System.out.printf("hostile clients: 3 clients that never read were dropped; %d DEFINED events were "
            + "sent meanwhile%n", events.get());
        assertTrue(events.get() > 0, "no events were sent to the clients that never read");
        assertEquals(3, dropped.get(), "clients that never read were not dropped");
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server().clientCount() == 1);
    }

    private static void write(SocketChannel channel, int procedure, int serial, Consumer<XdrWriter> args)
        throws IOException {
        ByteBuffer packet = Packet.encode(new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION, procedure,
            MessageType.CALL, serial, MessageStatus.OK), args);
        while (packet.hasRemaining()) {
            channel.write(packet);
        }
    }

    /** 20 clients turn keepalive on and then neither read nor answer: gone after interval x (count + 1). */
    private void deadKeepaliveClientsAreDropped() throws Exception {
        closeAttackers();
        int before = daemon.server().clientCount();
        for (int i = 0; i < 20; i++) {
            RawClient dead = attacker(new RawClient(daemon.socket()));
            dead.roundTrip(60, out -> out.writeInt(10));
        }
        assertEquals(before + 20, daemon.server().clientCount());
        await().atMost(Duration.ofSeconds(15)).until(() -> daemon.server().clientCount() == before);
    }

    /**
     * Fills max_clients, then tries 1000 more connections: they wait in the listen backlog or are refused,
     * none is served, and once the crowd leaves a new client is served again.
     */
    private void connectionsBeyondMaxClientsWaitOrAreRefused() throws Exception {
        closeAttackers();
        while (daemon.server().clientCount() < MAX_CLIENTS) {
            attacker(new RawClient(daemon.socket()));
            Thread.sleep(2);
        }
        int refused = 0;
        int waiting = 0;
        List<SocketChannel> extra = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            try {
                channel.connect(UnixDomainSocketAddress.of(daemon.socket()));
                extra.add(channel);
                waiting++;
            } catch (IOException full) {
                channel.close();
                refused++;
            }
        }
        System.out.printf("hostile clients: 1000 connections beyond max_clients=%d: %d wait in the backlog, "
            + "%d refused%n", MAX_CLIENTS, waiting, refused);
        assertEquals(MAX_CLIENTS, daemon.server().clientCount());
        assertEquals(1000, waiting + refused);
        for (SocketChannel channel : extra) {
            channel.close();
        }
        closeAttackers();
        try (RawClient fresh = new RawClient(daemon.socket())) {
            fresh.open();
        }
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private <T extends AutoCloseable> T attacker(T client) {
        attackers.add(client);
        return client;
    }

    private void closeAttackers() throws Exception {
        List<AutoCloseable> all;
        synchronized (attackers) {
            all = new ArrayList<>(attackers);
            attackers.clear();
        }
        for (AutoCloseable attacker : all) {
            attacker.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.server().clientCount() == 1);
    }
}
