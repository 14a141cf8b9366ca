package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny guest under TCG, driven through core's real domain list: boot, hotplug, ACPI shutdown,
 * save/restore, managed save, destroy, and reattach after a daemon restart.
 */
class QemuLifecycleTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static Path guest;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildGuest() throws Exception {
        guest = TinyGuest.build();
    }

    /** A test that failed half way must not leave its guest's QEMU running: destroy what still runs. */
    @AfterEach
    void stopCore() {
        if (core == null) {
            return;
        }
        try {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
        } finally {
            core.close();
        }
    }

    private DomainRef boot(Connection conn, String name, Path console) throws Exception {
        DomainRef dom = conn.define(TinyGuest.domainXml(name, guest, console), 0);
        conn.create(dom, 0);
        assertEquals(DomainState.RUNNING, conn.status(dom).state());
        TinyGuest.await(BOOT, "GUEST-READY", () -> TinyGuest.count(console, "GUEST-READY") >= 1);
        return dom;
    }

    @Test
    void bootsHotplugsADiskAndShutsOffOnAcpiPowerdown() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("console.log");
        DomainRef dom = boot(conn, "jq-boot", console);

        Path disk = root.resolve("extra.raw");
        Files.write(disk, new byte[8 << 20]);
        conn.attachDevice(dom, "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='"
            + disk + "'/><target dev='vdb' bus='virtio'/></disk>", 0);
        TinyGuest.await(Duration.ofSeconds(20), "GUEST-HOTPLUG add block",
            () -> TinyGuest.count(console, "GUEST-HOTPLUG add block") >= 1);
        assertTrue(conn.xml(dom, 0).contains("extra.raw"), "live XML lists the attached disk");
        assertStatisticsOfTheRunningGuest(conn, dom, disk);

        conn.shutdown(dom, 0);
        TinyGuest.await(Duration.ofSeconds(30), "shut off", () -> conn.status(dom).state() == DomainState.SHUTOFF);
        assertEquals(StateReason.SHUTOFF_SHUTDOWN, conn.status(dom).reason());
        assertTrue(TinyGuest.count(console, "GUEST-POWEROFF") >= 1);
    }

    /**
     * The guest read the partition table of the disk it was given: its counters show that by target and by
     * path; memory and domain statistics describe this guest (128 MiB, one vCPU, no balloon).
     */
    private static void assertStatisticsOfTheRunningGuest(Connection conn, DomainRef dom, Path disk) throws Exception {
        TinyGuest.await(Duration.ofSeconds(20), "reads on vdb", () -> value(conn.blockStats(dom, "vdb"), "rd_operations") > 0);
        long bytes = value(conn.blockStats(dom, "vdb"), "rd_bytes");
        assertTrue(bytes >= 512, "rd_bytes " + bytes);
        assertEquals(bytes, value(conn.blockStats(dom, disk.toString()), "rd_bytes"), "by path as by target");
        assertEquals(bytes, value(conn.blockStats(dom, ""), "rd_bytes"), "the sum of the only disk");
        VirtException unknown = assertThrows(VirtException.class, () -> conn.blockStats(dom, "vdz"));
        assertEquals("invalid argument: invalid path: vdz", unknown.getMessage());

        BlockInfo info = conn.blockInfo(dom, "vdb", 0);
        assertEquals(new BlockInfo(8 << 20, Files.size(disk), 8 << 20), info, "written, not sparse: all allocated");

        List<VcpuInfo> vcpus = conn.vcpuInfo(dom);
        assertEquals(1, vcpus.size(), vcpus.toString());
        assertEquals(1, vcpus.get(0).state(), "running");
        assertTrue(vcpus.get(0).cpuTimeNanos() > 0 && vcpus.get(0).cpu() >= 0, vcpus.toString());
        assertFalse(vcpus.get(0).affinity().isEmpty(), vcpus.toString());
        assertEquals(List.of(vcpus.get(0).affinity()), conn.vcpuPinInfo(dom, 0), "an unpinned vCPU may use every CPU");

        List<MemoryStat> memory = conn.memoryStats(dom, MemoryStat.TAG_COUNT, 0);
        assertEquals(1, memory.size(), "no balloon: the RSS alone " + memory);
        assertEquals(MemoryStat.RSS, memory.get(0).tag());
        assertTrue(memory.get(0).value() > 1024, memory.toString());

        Map<String, Object> stats = new java.util.HashMap<>();
        conn.allDomainStats(List.of(), 0, 0).get(0).params().forEach(p -> stats.put(p.field(), p.value()));
        assertEquals(1, stats.get("vcpu.current"), stats.toString());
        assertEquals(131072L, stats.get("balloon.maximum"), stats.toString());
        assertEquals("vdb", stats.get("block.0.name"), stats.toString());
        assertEquals(disk.toString(), stats.get("block.0.path"));
        assertEquals(8L << 20, stats.get("block.0.capacity"));
        assertTrue((Long) stats.get("cpu.time") > 0 && (Long) stats.get("vcpu.0.time") > 0, stats.toString());
        VirtException enforced = assertThrows(VirtException.class,
            () -> conn.allDomainStats(List.of(dom), DomainStats.PERF, DomainStats.ENFORCE_STATS));
        assertEquals("argument unsupported: Stats types bits 0x40 are not supported by this daemon or QEMU",
            enforced.getMessage());
    }

    private static long lastUpdate(Connection conn, DomainRef dom) {
        return conn.memoryStats(dom, MemoryStat.TAG_COUNT, 0).stream().filter(m -> m.tag() == MemoryStat.LAST_UPDATE)
            .mapToLong(MemoryStat::value).findFirst().orElse(0);
    }

    private static long value(List<TypedParameter> params, String field) {
        return params.stream().filter(p -> p.field().equals(field)).mapToLong(p -> ((Number) p.value()).longValue())
            .findFirst().orElseThrow(() -> new AssertionError(field + " in " + params));
    }

    @Test
    void theBalloonSetsALiveGuestsMemoryAndTheConfigKeepsItsOwn() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("balloon.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-balloon", guest, console)
            .replace("<memballoon model='none'/>", "<memballoon model='virtio'><stats period='1'/></memballoon>"), 0);
        conn.create(dom, 0);
        try {
            TinyGuest.await(BOOT, "GUEST-READY", () -> TinyGuest.count(console, "GUEST-READY") >= 1);
            conn.setMemory(dom, 96 * 1024, DomainFlags.AFFECT_LIVE);
            TinyGuest.await(Duration.ofSeconds(30), "the guest's balloon at 96 MiB",
                () -> conn.memoryStats(dom, MemoryStat.TAG_COUNT, 0).contains(
                    new MemoryStat(MemoryStat.ACTUAL_BALLOON, 96 * 1024)));
            assertTrue(conn.xml(dom, 0).contains("<currentMemory unit='KiB'>98304</currentMemory>"));
            assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains("<currentMemory unit='KiB'>131072</currentMemory>"),
                "a live change leaves the persistent definition");
            conn.setMemory(dom, 100 * 1024, DomainFlags.AFFECT_CONFIG);
            assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains("<currentMemory unit='KiB'>102400</currentMemory>"));
            // the definition's period applies from the start: the guest's report is renewed, not just the first one
            TinyGuest.await(Duration.ofSeconds(30), "a first report", () -> lastUpdate(conn, dom) > 0);
            long first = lastUpdate(conn, dom);
            TinyGuest.await(Duration.ofSeconds(20), "a report after " + first, () -> lastUpdate(conn, dom) > first);
            conn.setMemoryStatsPeriod(dom, 2, DomainFlags.AFFECT_LIVE);
            assertTrue(conn.xml(dom, 0).contains("<stats period='2'/>"), conn.xml(dom, 0));
            VirtException higher = assertThrows(VirtException.class,
                () -> conn.setMemory(dom, 256 * 1024, DomainFlags.AFFECT_LIVE));
            assertEquals("invalid argument: cannot set memory higher than max memory", higher.getMessage());
            VirtException maximum = assertThrows(VirtException.class,
                () -> conn.setMemory(dom, 256 * 1024, DomainFlags.AFFECT_LIVE | DomainFlags.MEM_MAXIMUM));
            assertEquals("Requested operation is not valid: cannot resize the maximum memory on an active domain",
                maximum.getMessage());
        } finally {
            conn.destroy(dom, 0);
        }
        VirtException stopped = assertThrows(VirtException.class,
            () -> conn.setMemory(dom, 64 * 1024, DomainFlags.AFFECT_LIVE));
        assertEquals("Requested operation is not valid: domain is not running", stopped.getMessage());
        DomainRef noBalloon = conn.define(TinyGuest.domainXml("jq-no-balloon", guest, console), 0);
        VirtException none = assertThrows(VirtException.class,
            () -> conn.setMemoryStatsPeriod(noBalloon, 5, DomainFlags.AFFECT_CONFIG));
        assertEquals("internal error: No memory balloon device configured, can not set the collection period",
            none.getMessage());
    }

    @Test
    void saveRestoreAndManagedSaveKeepTheGuestAlive() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("console.log");
        DomainRef dom = boot(conn, "jq-save", console);

        Path image = root.resolve("jq-save.img");
        conn.save(dom, image.toString(), null, 0);
        assertEquals(DomainState.SHUTOFF, conn.status(dom).state());
        assertTrue(TinyGuest.driver(root).saveImageXml(image).contains("<name>jq-save</name>"));
        conn.restore(image.toString(), null, 0);
        assertEquals(DomainState.RUNNING, conn.status(dom).state());

        conn.managedSave(dom, 0);
        assertTrue(conn.hasManagedSave(dom));
        // managedsave-define: the image's definition edited and the guest to come back paused
        String edited = conn.managedSaveXml(dom, 0).replace("<name>jq-save</name>",
            "<name>jq-save</name><description>edited in the image</description>");
        conn.managedSaveDefine(dom, edited, DomainFlags.SAVE_PAUSED);
        VirtException other = assertThrows(VirtException.class, () -> conn.managedSaveDefine(dom,
            edited.replace("<name>jq-save</name>", "<name>other</name>"), 0));
        assertEquals("unsupported configuration: Target domain name 'other' does not match source 'jq-save'",
            other.getMessage());
        conn.create(dom, 0);
        assertFalse(conn.hasManagedSave(dom), "start restores and removes the managed save image");
        assertEquals(DomainState.PAUSED, conn.status(dom).state(), "as the image now says");
        assertTrue(conn.xml(dom, 0).contains("edited in the image"), "the restored guest runs the image's definition");
        conn.resume(dom);
        assertEquals(1, TinyGuest.count(console, "GUEST-READY"), "the guest was restored, not booted again");

        conn.shutdown(dom, 0);
        TinyGuest.await(Duration.ofSeconds(30), "ACPI power-off after two restores",
            () -> conn.status(dom).state() == DomainState.SHUTOFF);
        assertEquals(StateReason.SHUTOFF_SHUTDOWN, conn.status(dom).reason());
    }

    @Test
    void aRestartedDaemonReattachesToTheSameQemuAndDestroysItQuickly() throws Exception {
        core = new CoreHarness(root);
        QemuDriver oldDriver = TinyGuest.driver(root);
        core.bind(oldDriver);
        Connection conn = core.open();
        Path console = root.resolve("console.log");
        DomainRef dom = boot(conn, "jq-reattach", console);
        long pid = pidOf(conn, dom);
        oldDriver.deactivate();

        core = core.restart();
        core.bind(TinyGuest.driver(root));
        Connection again = core.open();
        DomainRef same = again.lookupByName("jq-reattach");
        assertEquals(DomainState.RUNNING, again.status(same).state());
        assertEquals(pid, pidOf(again, same), "the same QEMU process runs on");

        long started = System.nanoTime();
        again.destroy(same, 0);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("destroy took " + millis + " ms");
        assertEquals(DomainState.SHUTOFF, again.status(same).state());
        assertFalse(org.jvirtd.driver.qemu.internal.process.QemuProcess.isRunning(pid, "monitor.sock"), "QEMU is gone");
        assertTrue(millis < 1000, "destroy took " + millis + " ms");
    }

    /** The pid core keeps in the domain's status file (runtime fact "pid"). */
    private long pidOf(Connection conn, DomainRef dom) throws Exception {
        assertTrue(conn.isActive(dom));
        String status = Files.readString(root.resolve("run/jvirtd/qemu/" + dom.name() + ".xml"));
        var m = java.util.regex.Pattern.compile("key='pid' value='(\\d+)'").matcher(status);
        assertTrue(m.find(), "status file records the pid");
        return Long.parseLong(m.group(1));
    }
}
