package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.core.config.DaemonPaths;

/**
 * A report from the hypervisor (a block job's end) arrives on the driver's own thread with the handle of the
 * call that started the work, whose copy of the definition and facts is old by then. While another call
 * holds the domain, the report waits; once applied it must change the definition and the facts as they are
 * then, keeping what that call recorded meanwhile.
 */
class RunReportsTest {
    private static final String VM = """
        <domain type='xen'>
          <name>vm1</name>
          <uuid>11111111-2222-3333-4444-555555555556</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type>xen</type></os>
        </domain>
        """;

    /** Keeps the start's handle; a suspend reports through it while it records a change of its own. */
    private static final class ReportingDriver extends XenLikeDriver {
        final AtomicReference<DomainHandle> started = new AtomicReference<>();
        final AtomicReference<Map<String, String>> factsAtResume = new AtomicReference<>();

        @Override
        public void start(DomainHandle domain, boolean paused) {
            started.set(domain);
        }

        @Override
        public void suspend(DomainHandle call) {
            Thread report = new Thread(() -> {
                DomainHandle old = started.get();
                old.updateLiveXml(xml -> xml.replace("</domain>", "<description>report</description></domain>"));
                old.putRuntime(Map.of("report", "1"));
            });
            report.start();
            try {
                report.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.setLiveXml(call.xml().replace("</domain>", "<title>call</title></domain>"));
            call.putRuntime(Map.of("call", "1"));
        }

        @Override
        public void resume(DomainHandle call) {
            factsAtResume.set(call.runtime());
        }

    }

    @TempDir
    Path root;

    private final ReportingDriver driver = new ReportingDriver();
    private final EventHub events = new EventHub();
    private DriverDomains domains;

    @BeforeEach
    void setUp() {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/nonexistent");
        domains = new DriverDomains("xen", new DomainStore("xen", paths), events, () -> driver);
    }

    @AfterEach
    void tearDown() {
        domains.close();
        events.deactivate();
    }

    @Test
    void aLateReportChangesTheDefinitionAndFactsAsTheyAreThen() throws Exception {
        DomainRef vm = domains.create(domains.define(VM), 0);
        domains.suspend(vm);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!domains.xml(vm, 0).contains("report") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String xml = domains.xml(vm, 0);
        assertTrue(xml.contains("<description>report</description>"), "the report reached the definition: " + xml);
        assertTrue(xml.contains("<title>call</title>"), "the call's change is still there: " + xml);

        domains.resume(vm);
        Map<String, String> facts = driver.factsAtResume.get();
        assertEquals("1", facts.get("call"), "the call's fact: " + facts);
        assertEquals("1", facts.get("report"), "the report's fact: " + facts);
    }
}
