package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.DomainSnapshots;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of the tiny guest under TCG, its disk a qcow2 overlay, through core's real snapshot tree: an
 * internal snapshot of the running guest undoes a file written after it, an external disk-only snapshot moves the
 * disk to a new overlay, and the metadata outlives a restart of core.
 */
class QemuSnapshotTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static Path guest;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildGuest() throws Exception {
        guest = TinyGuest.build();
    }

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

    private Path overlayDisk() throws Exception {
        Path base = root.resolve("base.qcow2");
        Path disk = root.resolve("disk.qcow2");
        exec("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M");
        exec("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toString(), disk.toString());
        return disk;
    }

    private static String exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    private String domainXml(String name, Path disk, Path serial) {
        return "<domain type='qemu'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>128</memory>\n"
            + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
            + "    <kernel>" + guest.resolve("vmlinuz") + "</kernel>\n"
            + "    <initrd>" + guest.resolve("initrd.img") + "</initrd>\n"
            + "    <cmdline>console=ttyS0 fixture.net=off fixture.shell=1</cmdline>\n  </os>\n"
            + "  <features><acpi/></features>\n  <devices>\n"
            + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            + "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk>\n"
            + "    <serial type='unix'><source mode='bind' path='" + serial + "'/><target port='0'/></serial>\n"
            + "    <memballoon model='none'/>\n  </devices>\n</domain>\n";
    }

    @Test
    void revertingAnInternalSnapshotOfARunningGuestUndoesAFileWrittenAfterItAndTheGuestRunsOn() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path serial = root.resolve("serial.sock");
        DomainRef dom = conn.define(domainXml("jq-snap", overlayDisk(), serial), 0);
        conn.create(dom, 0);
        try (GuestShell shell = GuestShell.connect(serial)) {
            assertTrue(shell.run("true", "UP", BOOT), "the guest's shell answers");
            DomainSnapshots snapshots = conn.snapshots();
            SnapshotRef before = snapshots.create(dom, "<domainsnapshot><name>before</name></domainsnapshot>", 0);
            assertTrue(snapshots.xml(before, 0).contains("<memory snapshot='internal'/>"));
            assertTrue(snapshots.xml(before, 0).contains("<state>running</state>"));
            assertTrue(exec("qemu-img", "snapshot", "-U", "-l", root.resolve("disk.qcow2").toString())
                .contains("before"), "savevm wrote the snapshot into the qcow2 disk");

            assertTrue(shell.run("echo hello > /tmp/written", "WROTE", BOOT));
            assertTrue(shell.run("test -e /tmp/written && echo FILE-$((6*7))", "CHECKED", BOOT));
            assertTrue(shell.saw("FILE-42"), "the file is there before the revert");

            snapshots.revert(before, 0);
            assertEquals(DomainState.RUNNING, conn.status(dom).state());
            assertEquals(StateReason.RUNNING_FROM_SNAPSHOT, conn.status(dom).reason());
            assertTrue(shell.run("test -e /tmp/written || echo GONE-$((6*6))", "AFTER", BOOT),
                "the reverted guest runs on and answers");
            assertTrue(shell.saw("GONE-36"), "the file written after the snapshot is gone");
            assertTrue(snapshots.isCurrent(before, 0));
        }
    }

    @Test
    void anExternalDiskOnlySnapshotOfARunningGuestMovesItsDiskToANewOverlay() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path serial = root.resolve("serial.sock");
        Path disk = overlayDisk();
        DomainRef dom = conn.define(domainXml("jq-ext", disk, serial), 0);
        conn.create(dom, 0);
        SnapshotRef ext = conn.snapshots().create(dom, "<domainsnapshot><name>ext</name></domainsnapshot>",
            SnapshotFlags.Create.DISK_ONLY);
        Path overlay = root.resolve("disk.ext");
        assertTrue(Files.exists(overlay), "the overlay beside the disk, named after the snapshot");
        assertTrue(exec("qemu-img", "info", "-U", overlay.toString()).contains("backing file: " + disk));
        assertTrue(conn.xml(dom, 0).contains("<source file='" + overlay + "'/>"), "the live XML shows the overlay");
        assertTrue(conn.xml(dom, 2).contains("<source file='" + overlay + "'/>"), "and so does the persistent one");
        String xml = conn.snapshots().xml(ext, 0);
        assertTrue(xml.contains("<state>disk-snapshot</state>"), xml);
        assertTrue(xml.contains("<disk name='vda' snapshot='external' type='file'>"), xml);
        try (GuestShell shell = GuestShell.connect(serial)) {
            assertTrue(shell.run("sync", "WRITES", BOOT), "the guest runs on its new overlay");
        }
        VirtException exists = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
            "<domainsnapshot><name>ext</name></domainsnapshot>", SnapshotFlags.Create.DISK_ONLY));
        assertEquals("operation failed: domain moment ext already exists", exists.getMessage());
    }

    @Test
    void snapshotMetadataOfAShutOffGuestOutlivesARestartOfCore() throws Exception {
        core = new CoreHarness(root);
        QemuDriver first = TinyGuest.driver(root);
        core.bind(first);
        Connection conn = core.open();
        DomainRef dom = conn.define(domainXml("jq-kept", overlayDisk(), root.resolve("serial.sock")), 0);
        conn.snapshots().create(dom, "<domainsnapshot><name>one</name></domainsnapshot>", 0);
        conn.snapshots().create(dom, "<domainsnapshot><name>two</name><description>2nd</description>"
            + "</domainsnapshot>", 0);
        assertTrue(exec("qemu-img", "snapshot", "-l", root.resolve("disk.qcow2").toString()).contains("two"));
        first.deactivate();

        core = core.restart();
        core.bind(TinyGuest.driver(root));
        Connection again = core.open();
        DomainRef kept = again.lookupByName("jq-kept");
        DomainSnapshots snapshots = again.snapshots();
        assertEquals(List.of("one", "two"), snapshots.listAll(kept, 0).stream().map(SnapshotRef::name).toList());
        assertEquals("two", snapshots.current(kept, 0).name());
        assertEquals("one", snapshots.parent(snapshots.lookupByName(kept, "two", 0), 0).name());
        assertTrue(snapshots.xml(snapshots.lookupByName(kept, "two", 0), 0).contains("<description>2nd</description>"));
        VirtException unknown = assertThrows(VirtException.class, () -> snapshots.lookupByName(kept, "x", 0));
        assertEquals("Domain snapshot not found: no domain snapshot with matching name 'x'", unknown.getMessage());

        snapshots.delete(snapshots.lookupByName(kept, "two", 0), 0);
        assertFalse(exec("qemu-img", "snapshot", "-l", root.resolve("disk.qcow2").toString()).contains("two"));
        assertEquals("one", snapshots.current(kept, 0).name(), "the deleted current snapshot's parent is current");
    }

    /** The bytes at {@code offset} of the guest's disk as the whole chain under {@code image} shows them. */
    private String diskBytes(Path image, long offset, int length) throws Exception {
        Path raw = root.resolve("read.raw");
        exec("qemu-img", "convert", "-U", "-O", "raw", image.toString(), raw.toString());
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(raw.toFile(), "r")) {
            byte[] bytes = new byte[length];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } finally {
            Files.delete(raw);
        }
    }

    @Test
    void anExternalSnapshotWithMemoryKeepsTheGuestRunningAndItsDeleteMergesTheOverlayBack() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path serial = root.resolve("serial.sock");
        Path disk = overlayDisk();
        DomainRef dom = conn.define(domainXml("jq-mem", disk, serial), 0);
        conn.create(dom, 0);
        Path memory = root.resolve("mem.save");
        Path overlay = root.resolve("disk.mem");
        try (GuestShell shell = GuestShell.connect(serial)) {
            assertTrue(shell.run("true", "UP", BOOT), "the guest's shell answers");
            VirtException relative = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
                "<domainsnapshot><name>r</name><memory snapshot='external' file='rel.save'/></domainsnapshot>", 0));
            assertEquals("XML error: memory snapshot file path (rel.save) must be absolute", relative.getMessage());
            VirtException noFile = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
                "<domainsnapshot><name>r</name><memory snapshot='external'/></domainsnapshot>", 0));
            assertEquals("XML error: external memory snapshots require a filename", noFile.getMessage());

            SnapshotRef mem = conn.snapshots().create(dom, "<domainsnapshot><name>mem</name><memory snapshot="
                + "'external' file='" + memory + "'/></domainsnapshot>", 0);
            String xml = conn.snapshots().xml(mem, 0);
            assertTrue(xml.contains("<state>running</state>"), xml);
            assertTrue(xml.contains("<memory snapshot='external' file='" + memory + "'/>"), xml);
            assertTrue(xml.contains("<source file='" + overlay + "'/>"), xml);
            byte[] head = new byte[16];
            try (java.io.InputStream in = Files.newInputStream(memory)) {
                assertEquals(16, in.readNBytes(head, 0, 16));
            }
            assertEquals("LibvirtQemudSave", new String(head, StandardCharsets.US_ASCII), "libvirt's save image");
            assertTrue(Files.size(memory) > 1 << 20, "the guest's memory is in the file");
            TinyGuest.await(Duration.ofSeconds(30), "running (unpaused), as libvirtd shows it after the snapshot",
                () -> conn.status(dom).state() == DomainState.RUNNING
                    && conn.status(dom).reason() == StateReason.RUNNING_UNPAUSED);
            assertTrue(conn.xml(dom, 0).contains("<source file='" + overlay + "'"), "the live XML shows the overlay");

            assertTrue(shell.run("printf MARK-AFTER-SNAPSHOT | dd of=/dev/vda bs=512 seek=2048 conv=fsync",
                "WROTE", BOOT), "the guest writes on its new overlay");
            VirtException children = assertThrows(VirtException.class,
                () -> conn.snapshots().delete(mem, SnapshotFlags.Delete.CHILDREN));
            assertEquals("unsupported configuration: deletion of external children disk snapshots not supported",
                children.getMessage());

            conn.snapshots().delete(mem, 0);
            assertFalse(Files.exists(overlay), "the overlay is merged and removed");
            assertTrue(Files.exists(memory), "the memory file stays, as with libvirt 9.0");
            assertTrue(conn.xml(dom, 0).contains("<source file='" + disk + "'"), "the live XML is back on the disk");
            assertTrue(conn.xml(dom, 2).contains("<source file='" + disk + "'/>"), "and so is the persistent one");
            assertTrue(shell.run("sync", "RUNS", BOOT), "the guest runs on after the commit");
            assertEquals(0, conn.snapshots().listAll(dom, 0).size());
        }
        conn.destroy(dom, 0);
        assertEquals("MARK-AFTER-SNAPSHOT", diskBytes(disk, 2048 * 512, 19), "the write is in the disk now");
    }

    @Test
    void anExternalSnapshotWithMemoryAndHaltLeavesTheGuestShutOff() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path serial = root.resolve("serial.sock");
        DomainRef dom = conn.define(domainXml("jq-halt", overlayDisk(), serial), 0);
        conn.create(dom, 0);
        try (GuestShell shell = GuestShell.connect(serial)) {
            assertTrue(shell.run("true", "UP", BOOT), "the guest's shell answers");
        }
        Path memory = root.resolve("halt.save");
        conn.snapshots().create(dom, "<domainsnapshot><name>h</name><memory snapshot='external' file='" + memory
            + "'/></domainsnapshot>", SnapshotFlags.Create.HALT);
        assertEquals(DomainState.SHUTOFF, conn.status(dom).state());
        assertEquals(StateReason.SHUTOFF_FROM_SNAPSHOT, conn.status(dom).reason());
        assertTrue(Files.size(memory) > 1 << 20);
        assertTrue(conn.xml(dom, 0).contains("<source file='" + root.resolve("disk.h") + "'/>"));
        VirtException offline = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
            "<domainsnapshot><name>o</name><memory snapshot='external' file='" + memory + "'/></domainsnapshot>", 0));
        assertEquals("XML error: memory state cannot be saved with offline or disk-only snapshot",
            offline.getMessage());
        VirtException revert = assertThrows(VirtException.class,
            () -> conn.snapshots().revert(conn.snapshots().lookupByName(dom, "h", 0), 0));
        assertEquals("unsupported configuration: revert to external snapshot not supported yet", revert.getMessage());
    }

    @Test
    void deletingExternalSnapshotsOfAShutOffGuestCommitsTheirOverlaysAndRebasesTheImageAbove() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = overlayDisk();
        exec("qemu-io", "-c", "write -P 0x61 0 64k", disk.toString());
        DomainRef dom = conn.define(domainXml("jq-offline", disk, root.resolve("serial.sock")), 0);
        conn.snapshots().create(dom, "<domainsnapshot><name>a</name></domainsnapshot>", SnapshotFlags.Create.DISK_ONLY);
        Path a = root.resolve("disk.a");
        exec("qemu-io", "-c", "write -P 0x62 64k 64k", a.toString());
        conn.snapshots().create(dom, "<domainsnapshot><name>b</name></domainsnapshot>", SnapshotFlags.Create.DISK_ONLY);
        Path b = root.resolve("disk.b");
        exec("qemu-io", "-c", "write -P 0x63 128k 64k", b.toString());

        conn.snapshots().delete(conn.snapshots().lookupByName(dom, "a", 0), 0);
        assertFalse(Files.exists(a));
        assertTrue(exec("qemu-img", "info", b.toString()).contains("backing file: " + disk), "b sits on the disk");
        assertTrue(conn.xml(dom, 0).contains("<source file='" + b + "'/>"));
        SnapshotRef bRef = conn.snapshots().lookupByName(dom, "b", 0);
        assertTrue(conn.snapshots().xml(bRef, 0).contains("<source file='" + disk + "'/>"),
            "b's saved definition names the image a was merged into");
        VirtException parent = assertThrows(VirtException.class, () -> conn.snapshots().parent(bRef, 0));
        assertEquals("Domain snapshot not found: snapshot 'b' does not have a parent", parent.getMessage());

        conn.snapshots().delete(bRef, 0);
        assertFalse(Files.exists(b));
        assertTrue(conn.xml(dom, 0).contains("<source file='" + disk + "'/>"), "the definition is on the disk again");
        assertEquals("a".repeat(8) + "b".repeat(8) + "c".repeat(8),
            diskBytes(disk, 64 * 1024 - 8, 8) + diskBytes(disk, 128 * 1024 - 8, 8) + diskBytes(disk, 128 * 1024, 8),
            "every layer's writes are in the disk");
    }

    @Test
    void afterAnActiveCommitDownToTheBaseTheNextSnapshotAndCopyFindTheBaseFree() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = overlayDisk();
        Path base = root.resolve("base.qcow2");
        DomainRef dom = conn.define(domainXml("jq-commit", disk, root.resolve("serial.sock")), 0);
        conn.create(dom, 0);
        conn.snapshots().create(dom, "<domainsnapshot><name>e1</name></domainsnapshot>", SnapshotFlags.Create.DISK_ONLY);
        var blocks = conn.blockOperations();
        blocks.commit(dom, "vda", null, null, 0, org.jvirtd.api.domain.BlockJobFlags.COMMIT_ACTIVE);
        TinyGuest.await(Duration.ofSeconds(60), "the active commit to be ready", () -> {
            var info = blocks.jobInfo(dom, "vda", 0);
            return info != null && info.end() > 0 && info.cur() == info.end();
        });
        blocks.abortJob(dom, "vda", org.jvirtd.api.domain.BlockJobFlags.ABORT_PIVOT);
        // the disk's own (first) source, not a backing store's, is the base once the pivot has been recorded
        TinyGuest.await(Duration.ofSeconds(30), "the pivot to the base", () -> {
            String xml = conn.xml(dom, 0);
            int source = xml.indexOf("<source file='", xml.indexOf("<disk "));
            return xml.startsWith("<source file='" + base + "'", source);
        });

        // disk.qcow2's node, committed away, must not hold the base any more
        conn.snapshots().create(dom, "<domainsnapshot><name>e2</name><disks><disk name='vda'><source file='"
            + root.resolve("disk.e2") + "'/></disk></disks></domainsnapshot>", SnapshotFlags.Create.DISK_ONLY);
        TinyGuest.await(Duration.ofSeconds(10), "the snapshot's overlay in the live definition",
            () -> conn.xml(dom, 0).contains("<source file='" + root.resolve("disk.e2") + "'"));
    }
}
