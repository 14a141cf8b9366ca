package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        CompletableFuture<Void> activity = CompletableFuture.runAsync(() -> {
            try (Connection c = hypervisors.open(TEST, false)) {
                Thread.sleep(500);
                c.destroy(c.create(c.define(VM.formatted("eventvm"), 0), 0), 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        session.execute("virt:event --loop --timeout 3");
        session.close();
        activity.get(5, TimeUnit.SECONDS);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("event 'lifecycle' for domain 'eventvm': Defined Added\n"
            + "event 'lifecycle' for domain 'eventvm': Started Booted\n"
            + "event 'lifecycle' for domain 'eventvm': Stopped Destroyed\n"));
        assertTrue(text, text.contains("events received: 3"));
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
        long begin = System.nanoTime();
        CompletableFuture<DomainRef> start = CompletableFuture.supplyAsync(() -> c.create(vm, 0));
        Thread.sleep(500);
        assertFalse("the call must wait for the driver", start.isDone());
        driver.start();
        DomainRef started = start.get(GRACE_SECONDS * 2L, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue("waited " + waited + " ms", waited >= 500 && waited < GRACE_SECONDS * 1000L);
        assertEquals(DomainState.RUNNING, c.status(started).state());
        c.close();
    }

    @Test
    public void driverUpdatesUnderLoadLoseNoCall() throws Exception {
        Hypervisors hypervisors = service(Hypervisors.class);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<CompletableFuture<Void>> workers = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String name = "load" + w;
            workers.add(CompletableFuture.runAsync(() -> {
                try (Connection c = hypervisors.open(TEST, false)) {
                    DomainRef vm = c.define(VM.formatted(name), 0);
                    while (running.get()) {
                        vm = c.create(vm, 0);
                        c.suspend(vm);
                        c.resume(vm);
                        c.destroy(vm, 0);
                        calls.addAndGet(4);
                    }
                    assertEquals(DomainState.SHUTOFF, c.status(vm).state());
                }
            }));
        }
        Bundle driver = installed("org.jvirtd.driver-test");
        for (int i = 1; i <= 3; i++) {
            Thread.sleep(300);
            updateAndRefresh(driver, withVersion("jvirtd-driver-test", "0.1." + i));
        }
        Thread.sleep(300);
        running.set(false);
        for (CompletableFuture<Void> worker : workers) {
            worker.get(GRACE_SECONDS * 2L, TimeUnit.SECONDS);
        }
        assertEquals(new Version(0, 1, 3), driver.getVersion());
        assertTrue("calls made: " + calls.get(), calls.get() > 40);
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
