package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.driver.test.TestDriver;

/** Core's shared domain work, exercised with the real test driver on a temporary state root. */
class DriverDomainsTest {
    private static final String VM = """
        <domain type='test'>
          <name>%s</name>
          <uuid>%s</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>2</vcpu>
          <os><type>hvm</type></os>
        </domain>
        """;
    private static final String UUID1 = "11111111-2222-3333-4444-555555555555";

    @TempDir
    Path root;

    private final TestDriver driver = new TestDriver();
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
        DriverDomains list = new DriverDomains("test", new DomainStore("test", paths), events, () -> driver);
        list.reattachAll(driver);
        return list;
    }

    @Test
    void defineWritesTheDefinitionDurablyAndPublishesDefined() throws Exception {
        DomainRef vm = domains.define(VM.formatted("vm1", UUID1));
        assertEquals("vm1", vm.name());
        assertEquals(-1, vm.id());
        // journaled at once; the file itself follows at the journal's checkpoint (here: close)
        assertTrue(Files.size(root.resolve("etc/jvirtd/test/.journal")) > 0);
        domains.close();
        Path file = root.resolve("etc/jvirtd/test/vm1.xml");
        assertTrue(Files.readString(file).contains("<uuid>" + UUID1 + "</uuid>"));
        awaitEvents(1);
        assertEquals("event 'lifecycle' for domain 'vm1': Defined Added", seen.get(0).describe());
    }

    @Test
    void graphicsPasswordsAreKeptOnDiskButShownOnlyWithTheSecureFlag() throws Exception {
        DomainRef vm = domains.define(VM.formatted("vm1", UUID1).replace("<os>",
            "<devices><graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/></devices><os>"));
        assertFalse(domains.xml(vm, 0).contains("s3cret"));
        assertTrue(domains.xml(vm, DomainFlags.XML_SECURE).contains("passwd='s3cret'"));
        domains.close();
        assertTrue(Files.readString(root.resolve("etc/jvirtd/test/vm1.xml")).contains("passwd='s3cret'"));
        DriverDomains again = open();
        assertTrue(again.xml(again.lookupByName("vm1"), DomainFlags.XML_SECURE).contains("passwd='s3cret'"),
            "the password survives a restart");
        again.close();
    }

    @Test
    void runningDomainSurvivesARestartOfCore() {
        DomainRef vm = domains.create(domains.define(VM.formatted("vm1", UUID1)), 0);
        domains.setAutostart(vm, true);
        assertTrue(Files.exists(root.resolve("run/jvirtd/test/vm1.xml")));
        domains.close();

        DriverDomains again = open();
        DomainRef after = again.lookupByName("vm1");
        assertEquals(vm.id(), after.id());
        assertEquals(DomainState.RUNNING, again.status(after).state());
        assertTrue(again.autostart(after));
        DomainRef second = again.create(again.define(VM.formatted("vm2", "21111111-2222-3333-4444-555555555555")), 0);
        assertEquals(vm.id() + 1, second.id(), "ids continue after the ones in use");
        again.close();
    }

    @Test
    void wrongTransitionsGiveLibvirtsErrorsAndChangeNothing() {
        DomainRef vm = domains.define(VM.formatted("vm1", UUID1));
        VirtException notRunning = assertThrows(VirtException.class, () -> domains.suspend(vm));
        assertEquals(ErrorCode.OPERATION_INVALID, notRunning.code());
        assertEquals("Requested operation is not valid: domain is not running", notRunning.getMessage());
        DomainRef running = domains.create(vm, 0);
        VirtException already = assertThrows(VirtException.class, () -> domains.create(running, 0));
        assertEquals("Requested operation is not valid: domain is already running", already.getMessage());
        assertEquals(DomainState.RUNNING, domains.status(running).state());
    }

    @Test
    void suspendResumeShutdownReportStatesWithReasons() {
        DomainRef vm = domains.create(domains.define(VM.formatted("vm1", UUID1)), 0);
        domains.suspend(vm);
        assertEquals("paused (user)", domains.status(vm).label());
        domains.resume(vm);
        assertEquals("running (unpaused)", domains.status(vm).label());
        domains.shutdown(vm);
        assertEquals("shut off (shutdown)", domains.status(vm).label());
        assertFalse(Files.exists(root.resolve("run/jvirtd/test/vm1.xml")), "status file removed");
    }

    @Test
    void managedSaveIsRestoredByStartAndBlocksUndefine() {
        DomainRef vm = domains.create(domains.define(VM.formatted("vm1", UUID1)), 0);
        domains.managedSave(vm);
        assertTrue(domains.hasManagedSave(vm));
        assertEquals("shut off (saved)", domains.status(vm).label());
        VirtException refused = assertThrows(VirtException.class, () -> domains.undefine(vm, 0));
        assertEquals("Requested operation is not valid: Refusing to undefine while domain managed save image exists",
            refused.getMessage());
        DomainRef restored = domains.create(vm, 0);
        assertEquals(StateReason.RUNNING_RESTORED, domains.status(restored).reason());
        assertFalse(domains.hasManagedSave(restored), "start consumes the image");
    }

    @Test
    void saveAndRestoreATransientDomain() {
        DomainRef vm = domains.createTransient(VM.formatted("tmp", UUID1), 0);
        Path image = root.resolve("tmp.save");
        domains.save(vm, image);
        assertThrows(VirtException.class, () -> domains.lookupByName("tmp"), "a stopped transient domain is gone");
        DomainRef back = domains.restore(image, 0);
        assertEquals("running (restored)", domains.status(back).label());
        assertFalse(domains.isPersistent(back));
    }

    @Test
    void nameAndUuidClashesAreRefused() {
        domains.define(VM.formatted("vm1", UUID1));
        VirtException sameName = assertThrows(VirtException.class,
            () -> domains.define(VM.formatted("vm1", "99999999-2222-3333-4444-555555555555")));
        assertEquals("operation failed: domain 'vm1' already exists with uuid " + UUID1, sameName.getMessage());
        VirtException sameUuid = assertThrows(VirtException.class, () -> domains.define(VM.formatted("vm9", UUID1)));
        assertEquals("operation failed: domain 'vm1' is already defined with uuid " + UUID1, sameUuid.getMessage());
        assertEquals(1, domains.list(0).size());
    }

    @Test
    void wrongDomainTypeIsRefusedBeforeAnythingIsWritten() {
        VirtException e = assertThrows(VirtException.class,
            () -> domains.define(VM.formatted("vm1", UUID1).replace("type='test'", "type='kvm'")));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        domains.close();
        assertFalse(Files.exists(root.resolve("etc/jvirtd/test/vm1.xml")));
    }

    @Test
    void listFiltersByActivityAndPersistence() {
        DomainRef a = domains.create(domains.define(VM.formatted("a", UUID1)), 0);
        domains.define(VM.formatted("b", "21111111-2222-3333-4444-555555555555"));
        domains.createTransient(VM.formatted("c", "31111111-2222-3333-4444-555555555555"), 0);
        assertEquals(List.of("a", "c"), names(domains.list(DomainFlags.LIST_ACTIVE)));
        assertEquals(List.of("b"), names(domains.list(DomainFlags.LIST_INACTIVE)));
        assertEquals(List.of("c"), names(domains.list(DomainFlags.LIST_TRANSIENT)));
        domains.destroy(a);
        assertEquals(List.of("a", "b"), names(domains.list(DomainFlags.LIST_SHUTOFF)));
    }

    @Test
    void eventsArriveInOrderWithLibvirtsDetails() throws Exception {
        DomainRef vm = domains.create(domains.define(VM.formatted("vm1", UUID1)), 0);
        domains.suspend(vm);
        domains.resume(vm);
        domains.destroy(vm);
        awaitEvents(5);
        assertEquals(List.of("Defined Added", "Started Booted", "Suspended Paused", "Resumed Unpaused",
            "Stopped Destroyed"), seen.stream().map(e -> e.type().label() + " " + e.type().detailLabel(e.detail()))
            .toList());
    }

    /** libvirt's test driver reports a save and a restore as the stop and the start only (its QEMU driver adds the pause). */
    @Test
    void saveAndRestoreOfTheTestDriverAreStoppedSavedAndStartedRestored() throws Exception {
        DomainRef vm = domains.create(domains.define(VM.formatted("vm1", UUID1)), 0);
        Path image = root.resolve("vm1.save");
        domains.save(vm, image);
        domains.restore(image, 0);
        awaitEvents(4);
        assertEquals(List.of("Defined Added", "Started Booted", "Stopped Saved", "Started Restored"),
            seen.stream().map(e -> e.type().label() + " " + e.type().detailLabel(e.detail())).toList());
    }

    private void awaitEvents(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, seen.size(), "events: " + seen);
    }

    private static List<String> names(List<DomainRef> refs) {
        return refs.stream().map(DomainRef::name).toList();
    }
}
