package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.core.config.DaemonPaths;

/**
 * A driver whose hypervisor numbers its guests (Xen's domain ids) gives core its number through
 * DomainHandle.setId: the id clients see, kept over a restart, and changed again while the guest runs (xl's
 * restart of a rebooting guest) without losing the handle's later reports.
 */
class DomainRenumberingTest {
    private static final String VM = """
        <domain type='xen'>
          <name>vm1</name>
          <uuid>11111111-2222-3333-4444-555555555555</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type>xen</type></os>
        </domain>
        """;

    /** Gives each run the number 40 + its start count, keeps the handle, reattaches whatever ran. */
    private static final class NumberingDriver extends XenLikeDriver {
        final AtomicReference<DomainHandle> running = new AtomicReference<>();

        @Override
        public void start(DomainHandle domain, boolean paused) {
            domain.setId(41);
            running.set(domain);
        }

        @Override
        public boolean reattach(DomainHandle domain) {
            running.set(domain);
            return true;
        }
    }

    @TempDir
    Path root;

    private final NumberingDriver driver = new NumberingDriver();
    private final EventHub events = new EventHub();
    private final List<DomainEvent> seen = new CopyOnWriteArrayList<>();
    private DaemonPaths paths;
    private DriverDomains domains;

    @BeforeEach
    void setUp() {
        paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/nonexistent");
        events.subscribe(null, seen::add);
        domains = open();
    }

    @AfterEach
    void tearDown() {
        domains.close();
        events.deactivate();
    }

    private DriverDomains open() {
        DriverDomains list = new DriverDomains("xen", new DomainStore("xen", paths), events, () -> driver);
        list.reattachAll(driver);
        return list;
    }

    @Test
    void theHypervisorsNumberIsTheDomainsIdAndSurvivesARestart() {
        DomainRef vm = domains.create(domains.define(VM), 0);
        assertEquals(41, vm.id());
        assertEquals("vm1", domains.lookupById(41).name());
        domains.close();
        domains = open();
        assertEquals(41, domains.lookupByName("vm1").id());
    }

    @Test
    void aRenumberedRunKeepsReportingThroughItsHandle() throws Exception {
        domains.create(domains.define(VM), 0);
        DomainHandle handle = driver.running.get();
        handle.setId(42);
        handle.stateChanged(DomainState.PAUSED, StateReason.PAUSED_USER);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (domains.status(domains.lookupByName("vm1")).state() != DomainState.PAUSED
            && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(DomainState.PAUSED, domains.status(domains.lookupByName("vm1")).state(),
            "the report after the renumbering reached the domain");
        assertEquals(42, domains.lookupByName("vm1").id());
        domains.destroy(domains.lookupById(42));
        assertEquals(-1, domains.lookupByName("vm1").id());
    }
}
