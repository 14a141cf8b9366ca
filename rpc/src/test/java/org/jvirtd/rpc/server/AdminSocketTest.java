package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.core.config.DaemonTimeout;
import org.jvirtd.core.internal.LogControl;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.admin.AdminProgram;
import org.jvirtd.rpc.admin.AdminSettings;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.Priority;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;

/**
 * The real virt-admin on libvirt-admin-sock: servers, clients, client identity, log filters and outputs,
 * worker pool and client limit changes.
 */
class AdminSocketTest {
    @TempDir
    static Path root;
    private static InProcessDaemon daemon;
    private static RpcServer main;
    private static RpcServer admin;
    private static List<Listener> listeners;
    private static String adminUri;
    private static Map<String, RpcServer> servers;
    /** What virt-admin daemon-timeout set (the daemon's own timer is tested by smoke.sh on a real daemon). */
    private static final java.util.concurrent.atomic.AtomicLong timeoutSet = new java.util.concurrent.atomic.AtomicLong(-1);

    @BeforeAll
    static void start() throws Exception {
        ConfFile conf = ConfFile.empty("jvirtd.conf");
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/");
        daemon = new InProcessDaemon(ServerSettings.defaults());
        listeners = ListenerConfig.listeners(conf, paths, false, "/nonexistent");
        main = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            listeners);
        servers = Collections.synchronizedMap(new LinkedHashMap<>());
        servers.put("libvirtd", main);
        Listener adminSocket = ListenerConfig.admin(conf, paths);
        admin = new RpcServer(new AdminProgram(servers, new LogControl(), new DaemonTimeout() {
            @Override
            public long timeoutSeconds() {
                return timeoutSet.get();
            }

            @Override
            public void setTimeoutSeconds(long seconds) {
                timeoutSet.set(seconds);
            }
        }, null), AdminSettings.from(conf),
            List.of(adminSocket));
        servers.put("admin", admin);
        adminUri = "libvirtd:///system?socket=" + adminSocket.path();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        main.close();
        daemon.close();
    }

    @org.junit.jupiter.api.Test
    void daemonTimeoutReachesTheDaemon() throws Exception {
        virtAdmin("daemon-timeout", "--timeout", "42");
        assertEquals(42, timeoutSet.get());
        virtAdmin("daemon-timeout", "--timeout", "0");
        assertEquals(0, timeoutSet.get());
    }

    private static Processes.Result virtAdmin(String... args) throws Exception {
        Processes.Result result = runVirtAdmin(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private static Processes.Result runVirtAdmin(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("virt-admin", "-c", adminUri));
        command.addAll(List.of(args));
        return Processes.run(command, null, 60);
    }

    /** virt-admin's stderr for a command libvirt refuses. */
    private static String refused(String... args) throws Exception {
        Processes.Result result = runVirtAdmin(args);
        assertTrue(result.exitCode() != 0, result.toString());
        return result.stderr();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /**
     * A REMOTE-numbered program whose procedure 1 holds its worker until the test releases it and counts
     * how many run at once; any other procedure answers at once.
     */
    private static final class GatedProgram implements Program {
        static final int HELD = 1;
        final Semaphore gate = new Semaphore(0);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

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
            if (call.header().procedure() == HELD) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                gate.acquireUninterruptibly();
                running.decrementAndGet();
            }
            return Packet.encode(call.header().reply(MessageStatus.OK), out -> {
            });
        }
    }

    /** A server of its own for one test, known to the admin interface as {@code name}. */
    private static RpcServer gatedServer(String name, GatedProgram program, int minWorkers, int maxWorkers)
        throws IOException {
        RpcServer server = new RpcServer(program, new ServerSettings(50, 10, minWorkers, maxWorkers, 0, 5, 5, 5),
            List.of(Listener.unix(root.resolve(name + "-sock"), false, null, null)));
        servers.put(name, server);
        return server;
    }

    /** Whether replies to all the calls of {@code serials} arrive, in any order. */
    private static boolean answered(RawClient client, long timeoutMillis, Integer... serials) throws IOException {
        java.util.Set<Integer> waiting = new java.util.HashSet<>(List.of(serials));
        Packet packet;
        while (!waiting.isEmpty() && (packet = client.read(timeoutMillis)) != null) {
            if (packet.header().type() == MessageType.REPLY) {
                waiting.remove(packet.header().serial());
            }
        }
        return waiting.isEmpty();
    }

    private static String line(String key, long value) {
        return "(?s).*\\b" + key + "\\s*:\\s*" + value + "\\n.*";
    }

    @Test
    void serverListNamesLibvirtdAndAdmin() throws Exception {
        String out = virtAdmin("server-list").stdout();
        assertTrue(out.matches("(?s).*0\\s+libvirtd.*1\\s+admin.*"), out);
    }

    @Test
    void connectedClientIsListedWithItsUnixIdentity() throws Exception {
        String uri = "test+unix:///default?socket=" + listeners.get(1).path();
        try (HeldClient client = HeldClient.open(uri)) {
            assertEquals("1", client.firstLine());
            long id = main.clients().get(0).id();
            String list = virtAdmin("client-list", "libvirtd").stdout();
            assertTrue(list.matches("(?s).*\\b" + id + "\\s+unix\\s+.*"), list);
            String info = virtAdmin("client-info", "libvirtd", String.valueOf(id)).stdout();
            assertTrue(info.matches("(?s).*readonly\\s*:\\s*yes.*"), info);
            assertTrue(info.matches("(?s).*unix_user_name\\s*:\\s*" + System.getProperty("user.name") + ".*"), info);
            String limits = virtAdmin("server-clients-info", "libvirtd").stdout();
            assertTrue(limits.matches("(?s).*nclients\\s*:\\s*1\\b.*"), limits);
        }
    }

    @Test
    void logFiltersAndOutputsChangeAtRuntime() throws Exception {
        virtAdmin("daemon-log-filters", "1:rpc 3:util");
        assertTrue(virtAdmin("daemon-log-filters").stdout().contains("1:rpc 3:util"));
        assertEquals(Level.FINE, Logger.getLogger("").getLevel(), "a debug filter opens the root logger");
        virtAdmin("daemon-log-outputs", "2:stderr");
        assertTrue(virtAdmin("daemon-log-outputs").stdout().contains("2:stderr"));
        virtAdmin("daemon-log-filters", "");
        virtAdmin("daemon-log-outputs", "");
        assertTrue(virtAdmin("daemon-log-outputs").stdout().contains("3:stderr"));
        Processes.Result bad = Processes.run(List.of("virt-admin", "-c", adminUri, "daemon-log-outputs", "9:nowhere"),
            null, 60);
        assertTrue(bad.exitCode() != 0 && bad.stderr().contains("Invalid log output '9:nowhere'"), bad.toString());
    }

    @Test
    void threadPoolLimitsChangeWhatRunsAtOnce() throws Exception {
        GatedProgram program = new GatedProgram();
        try (RpcServer server = gatedServer("pool", program, 2, 4);
             RawClient client = new RawClient(root.resolve("pool-sock"))) {
            String before = virtAdmin("server-threadpool-info", "pool").stdout();
            assertTrue(before.matches(line("minWorkers", 2)) && before.matches(line("maxWorkers", 4))
                && before.matches(line("nWorkers", 2)) && before.matches(line("prioWorkers", 0)), before);

            virtAdmin("server-threadpool-set", "pool", "--min-workers", "1", "--max-workers", "1",
                "--priority-workers", "2");
            await("the surplus worker to leave", () -> server.threadPool().workers() == 1);
            String one = virtAdmin("server-threadpool-info", "pool").stdout();
            assertTrue(one.matches(line("minWorkers", 1)) && one.matches(line("maxWorkers", 1))
                && one.matches(line("nWorkers", 1)) && one.matches(line("prioWorkers", 2)), one);

            int first = client.call(GatedProgram.HELD, out -> {
            });
            int second = client.call(GatedProgram.HELD, out -> {
            });
            await("the second call to queue", () -> program.running.get() == 1 && server.threadPool().queued() == 1);
            assertTrue(virtAdmin("server-threadpool-info", "pool").stdout().matches(line("jobQueueDepth", 1)));
            assertEquals(1, program.mostAtOnce.get(), "one worker runs one call at a time");

            // a higher limit starts a worker for the queued call at once
            virtAdmin("server-threadpool-set", "pool", "--max-workers", "3");
            await("both calls to run", () -> program.running.get() == 2);

            // lowering the limit under the busy workers lets both calls finish
            virtAdmin("server-threadpool-set", "pool", "--max-workers", "1");
            program.gate.release(2);
            assertTrue(answered(client, 10_000, first, second), "both calls answered");
            await("the pool to shrink to one worker", () -> server.threadPool().workers() == 1);
            assertEquals(1, server.threadPool().maxWorkers());
        } finally {
            servers.remove("pool");
        }
    }

    @Test
    void threadPoolRefusesLibvirtsInvalidLimits() throws Exception {
        assertTrue(refused("server-threadpool-set", "libvirtd", "--min-workers", "30")
            .contains("error: invalid argument: minWorkers cannot be larger than maxWorkers"));
        assertTrue(refused("server-threadpool-set", "libvirtd", "--max-workers", "0")
            .contains("error: invalid argument: minWorkers cannot be larger than maxWorkers"));
        assertTrue(refused("server-threadpool-set", "libvirtd", "--min-workers", "0", "--max-workers", "0")
            .contains("error: invalid argument: maxWorkers must not be switched from zero to non-zero and vice versa"));
        assertTrue(refused("server-threadpool-set", "nosuch", "--min-workers", "1")
            .contains("error: Server not found: No server named 'nosuch'"));
        String info = virtAdmin("server-threadpool-info", "libvirtd").stdout();
        assertTrue(info.matches(line("minWorkers", 5)) && info.matches(line("maxWorkers", 20)), info);
    }

    @Test
    void lowerClientLimitKeepsClientsAndLeavesNewOnesWaiting() throws Exception {
        try (RpcServer server = gatedServer("limits", new GatedProgram(), 1, 2);
             RawClient first = new RawClient(root.resolve("limits-sock"));
             RawClient second = new RawClient(root.resolve("limits-sock"))) {
            await("two clients", () -> server.clientCount() == 2);
            virtAdmin("server-clients-set", "limits", "--max-clients", "1", "--max-unauth-clients", "1");
            String info = virtAdmin("server-clients-info", "limits").stdout();
            assertTrue(info.matches(line("nclients_max", 1)) && info.matches(line("nclients", 2))
                && info.matches(line("nclients_unauth_max", 1)) && info.matches(line("nclients_unauth", 0)), info);
            assertTrue(answered(first, 10_000, first.call(2, out -> {
            })) && answered(second, 10_000, second.call(2, out -> {
            })), "connected clients stay served");

            try (RawClient waiting = new RawClient(root.resolve("limits-sock"))) {
                int call = waiting.call(2, out -> {
                });
                assertTrue(!answered(waiting, 500, call) && server.clientCount() == 2, "a new client waits");
                first.close();
                second.close();
                assertTrue(answered(waiting, 10_000, call), "accepted once the others left");
            }
        } finally {
            servers.remove("limits");
        }
    }

    @Test
    void clientLimitsRefuseLibvirtsInvalidValues() throws Exception {
        String expected = "error: invalid argument: The overall maximum number of clients waiting for authentication"
            + " must not be less than the overall maximum number of clients";
        assertTrue(refused("server-clients-set", "libvirtd", "--max-clients", "0").contains(expected));
        assertTrue(refused("server-clients-set", "libvirtd", "--max-unauth-clients", "6000").contains(expected));
        String info = virtAdmin("server-clients-info", "libvirtd").stdout();
        assertTrue(info.matches(line("nclients_max", 5000)) && info.matches(line("nclients_unauth_max", 20)), info);
    }
}
