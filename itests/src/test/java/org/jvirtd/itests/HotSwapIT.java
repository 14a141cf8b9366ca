package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The hot swap contract in a real Felix: bundles start, domains survive driver updates and a core
 * restart, calls wait out a driver update for the grace period.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT extends JvirtdTestSupport {
    private static final URI TEST = URI.create("test:///default");
    private static final String VM = """
        <domain type='test'>
          <name>%s</name>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type>hvm</type></os>
        </domain>
        """;

    @Test
    public void everyBundleResolvesAndStarts() throws Exception {
        service(Hypervisors.class);
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(b.getSymbolicName() + " is not active", Bundle.ACTIVE, b.getState());
            }
        }
        assertEquals(Bundle.ACTIVE, installed("org.jvirtd.driver-test").getState());
    }

    @Test
    public void shellCommandsRunOnTheTestDriver() throws Exception {
        try (Connection c = service(Hypervisors.class).open(TEST, false)) {
            c.create(c.define(VM.formatted("shellvm"), 0), 0);
        }
        CommandProcessor processor = service(CommandProcessor.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(System.in, print, print);
        session.put("VIRT_URI", TEST.toString());
        session.execute("virt:list --all");
        session.execute("virt:domstate --reason shellvm");
        session.close();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.matches("(?s).*\\n \\d+ +shellvm +running\\n.*"));
        assertTrue(text, text.contains("running (booted)"));
    }

    @Test
    public void eventCommandPrintsLifecycleEventsAsVirshDoes() throws Exception {
        Hypervisors hypervisors = service(Hypervisors.class);
        CommandProcessor processor = service(CommandProcessor.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(System.in, print, print);
        session.put("VIRT_URI", TEST.toString());
        ExecutorService shell = Executors.newSingleThreadExecutor(r -> new Thread(r, "virt:event"));
        try (Connection c = hypervisors.open(TEST, false)) {
            Future<Object> command = shell.submit(() -> session.execute("virt:event --loop --timeout 5"));
            // The command has subscribed once a probe domain's events reach its output.
            await("virt:event prints the events of a probe domain").atMost(Duration.ofSeconds(15)).until(() -> {
                c.undefine(c.define(VM.formatted("probe"), 0), 0);
                return out.toString(StandardCharsets.UTF_8).contains("for domain 'probe'");
            });
            c.destroy(c.create(c.define(VM.formatted("eventvm"), 0), 0), 0);
            await("virt:event prints eventvm's Stopped Destroyed").atMost(Duration.ofSeconds(10)).until(() ->
                out.toString(StandardCharsets.UTF_8).contains("for domain 'eventvm': Stopped Destroyed\n"));
            command.get(10, TimeUnit.SECONDS);
        } finally {
            shell.shutdownNow();
            session.close();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("event 'lifecycle' for domain 'eventvm': Defined Added\n"
            + "event 'lifecycle' for domain 'eventvm': Started Booted\n"
            + "event 'lifecycle' for domain 'eventvm': Stopped Destroyed\n"));
        long printed = text.lines().filter(line -> line.startsWith("event 'lifecycle' for domain ")).count();
        assertTrue(text, text.endsWith("events received: " + printed + "\n"));
    }

    @Test
    public void runningDomainSurvivesDriverUpdateAndCoreRestart() throws Exception {
        DomainRef vm;
        try (Connection c = service(Hypervisors.class).open(TEST, false)) {
            vm = c.create(c.define(VM.formatted("survivor"), 0), 0);
            c.setAutostart(vm, true);
        }
        Bundle driver = installed("org.jvirtd.driver-test");
        updateAndRefresh(driver, withVersion("jvirtd-driver-test", "0.1.1"));
        assertEquals(new Version(0, 1, 1), driver.getVersion());
        assertEquals(Bundle.ACTIVE, driver.getState());
        try (Connection c = service(Hypervisors.class).open(TEST, false)) {
            DomainRef after = c.lookupByName("survivor");
            assertEquals(vm.id(), after.id());
            assertEquals(DomainState.RUNNING, c.status(after).state());
        }

        Bundle core = installed("org.jvirtd.core");
        core.stop();
        core.start();
        try (Connection c = service(Hypervisors.class).open(TEST, false)) {
            DomainRef after = c.lookupByName("survivor");
            assertEquals(vm.uuid(), after.uuid());
            assertEquals(vm.id(), after.id());
            assertEquals(DomainState.RUNNING, c.status(after).state());
            assertTrue(c.isPersistent(after));
            assertTrue(c.autostart(after));
        }
    }

    @Test
    public void callDuringDriverUpdateCompletesWhenTheDriverIsBack() throws Exception {
        Connection c = service(Hypervisors.class).open(TEST, false);
        DomainRef vm = c.define(VM.formatted("waiter"), 0);
        Bundle driver = installed("org.jvirtd.driver-test");
        driver.stop();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        long begin = System.nanoTime();
        Future<DomainRef> start = caller.submit(() -> c.create(vm, 0));
        await("the call waits for the driver").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
            .until(() -> !start.isDone());
        driver.start();
        DomainRef started = start.get(GRACE_SECONDS * 2L, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue("waited " + waited + " ms", waited >= 500 && waited < GRACE_SECONDS * 1000L);
        assertEquals(DomainState.RUNNING, c.status(started).state());
        caller.shutdown();
        c.close();
    }

    @Test
    public void driverUpdatesUnderLoadLoseNoCall() throws Exception {
        Hypervisors hypervisors = service(Hypervisors.class);
        int workers = 4;
        int updates = 3;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLongArray calls = new AtomicLongArray(workers);
        // Threads of their own: on the common pool fewer than four would run at once on a small machine.
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        List<Future<?>> results = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            results.add(threads.submit(() -> {
                try (Connection c = hypervisors.open(TEST, false)) {
                    DomainRef vm = c.define(VM.formatted("load" + worker), 0);
                    while (running.get()) {
                        vm = c.create(vm, 0);
                        c.suspend(vm);
                        c.resume(vm);
                        c.destroy(vm, 0);
                        calls.addAndGet(worker, 4);
                    }
                    assertEquals(DomainState.SHUTOFF, c.status(vm).state());
                }
                return null;
            }));
        }
        Bundle driver = installed("org.jvirtd.driver-test");
        long[][] seen = new long[updates + 2][];
        seen[0] = new long[workers];
        try {
            for (int i = 1; i <= updates + 1; i++) {
                long[] before = seen[i - 1];
                await("every worker completes calls before update " + i).atMost(Duration.ofSeconds(GRACE_SECONDS * 2L))
                    .until(() -> everyWorkerPassed(calls, before, 8));
                seen[i] = snapshot(calls);
                if (i <= updates) {
                    updateAndRefresh(driver, withVersion("jvirtd-driver-test", "0.1." + i));
                }
            }
        } finally {
            running.set(false);
            threads.shutdown();
        }
        for (Future<?> result : results) {
            result.get(GRACE_SECONDS * 2L, TimeUnit.SECONDS);
        }
        assertEquals(new Version(0, 1, updates), driver.getVersion());
        for (int i = 1; i < seen.length; i++) {
            for (int w = 0; w < workers; w++) {
                assertTrue("worker " + w + " between updates " + (i - 1) + " and " + i + ": " + Arrays.deepToString(seen),
                    seen[i][w] >= seen[i - 1][w] + 8);
            }
        }
    }

    private static boolean everyWorkerPassed(AtomicLongArray calls, long[] before, int more) {
        for (int w = 0; w < before.length; w++) {
            if (calls.get(w) < before[w] + more) {
                return false;
            }
        }
        return true;
    }

    private static long[] snapshot(AtomicLongArray calls) {
        long[] copy = new long[calls.length()];
        for (int w = 0; w < copy.length; w++) {
            copy[w] = calls.get(w);
        }
        return copy;
    }

    @Test
    public void callFailsClearlyWhenTheDriverStaysAwayBeyondTheGracePeriod() throws Exception {
        Connection c = service(Hypervisors.class).open(TEST, false);
        DomainRef vm = c.define(VM.formatted("orphan"), 0);
        installed("org.jvirtd.driver-test").stop();
        long begin = System.nanoTime();
        try {
            c.create(vm, 0);
            fail("create succeeded without a driver");
        } catch (VirtException e) {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(ErrorCode.NO_SUPPORT, e.code());
            assertEquals("this function is not supported by the connection driver: driver test is not available",
                e.getMessage());
            assertTrue("gave up after " + waited + " ms", waited >= GRACE_SECONDS * 1000L - 100);
        }
        c.close();
    }
}
