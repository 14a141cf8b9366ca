package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny guest under TCG with calls that change or poke it as it runs: vCPU hotplug and the vCPU counts of
 * each definition, reset, NMI and key presses; what the guest prints on its serial console is the evidence.
 */
class QemuTuningTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
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

    @Test
    void setvcpusHotplugsIntoTheRunningGuestAndKeepsEachDefinitionsCount() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("vcpus.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-vcpus", guest, console)
            .replace("<vcpu>1</vcpu>", "<vcpu current='1'>3</vcpu>"), 0);
        assertEquals(3, conn.vcpus(dom, DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM));
        assertEquals(1, conn.vcpus(dom, DomainFlags.AFFECT_CONFIG));
        conn.create(dom, 0);
        TinyGuest.await(BOOT, "GUEST-READY", () -> TinyGuest.count(console, "GUEST-READY") >= 1);
        assertEquals(1, conn.vcpuInfo(dom).size(), "QEMU starts the online vCPUs only");

        conn.setVcpus(dom, 3, DomainFlags.AFFECT_LIVE);
        // the guest kernel's own ACPI message for each vCPU it received
        TinyGuest.await(BOOT, "two hotplugged CPUs in the guest",
            () -> TinyGuest.count(console, "has been hot-added") >= 2);
        assertEquals(3, conn.vcpuInfo(dom).size());
        assertEquals(3, conn.vcpus(dom, DomainFlags.AFFECT_LIVE));
        assertEquals(1, conn.vcpus(dom, DomainFlags.AFFECT_CONFIG), "a live change leaves the config alone");
        assertTrue(conn.xml(dom, 0).contains("<vcpu placement='static'>3</vcpu>"), conn.xml(dom, 0));

        VirtException tooMany = assertThrows(VirtException.class,
            () -> conn.setVcpus(dom, 5, DomainFlags.AFFECT_LIVE));
        assertEquals("invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: "
            + "5 > 3", tooMany.getMessage());
        VirtException liveMaximum = assertThrows(VirtException.class,
            () -> conn.setVcpus(dom, 2, DomainFlags.AFFECT_LIVE | DomainFlags.VCPU_MAXIMUM));
        assertEquals(ErrorCode.INVALID_ARG, liveMaximum.code());

        conn.setVcpus(dom, 2, DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM);
        assertEquals(2, conn.vcpus(dom, DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM));
        assertEquals(3, conn.vcpus(dom, DomainFlags.AFFECT_LIVE | DomainFlags.VCPU_MAXIMUM));
        conn.setVcpus(dom, 2, DomainFlags.AFFECT_CONFIG);
        assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains("<vcpu placement='static'>2</vcpu>"),
            conn.xml(dom, DomainFlags.XML_INACTIVE));
    }

    @Test
    void resetRebootsTheGuestAndAnNmiReachesItsKernel() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("reset.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-reset", guest, console), 0);
        conn.create(dom, 0);
        TinyGuest.await(BOOT, "GUEST-READY", () -> TinyGuest.count(console, "GUEST-READY") >= 1);

        conn.injectNmi(dom, 0);
        TinyGuest.await(Duration.ofSeconds(20), "the kernel's NMI message",
            () -> TinyGuest.count(console, "NMI received for unknown reason") >= 1);

        conn.sendKey(dom, 0, 0, new int[] {29, 30}, 0);   // KEY_LEFTCTRL KEY_A: translated and accepted
        VirtException untranslatable = assertThrows(VirtException.class,
            () -> conn.sendKey(dom, 0, 0, new int[] {700}, 0));
        assertEquals("internal error: cannot translate keycode 700 of linux codeset to qnum keycode",
            untranslatable.getMessage());

        conn.reset(dom, 0);
        TinyGuest.await(BOOT, "the guest booting again", () -> TinyGuest.count(console, "GUEST-READY") >= 2);
        assertTrue(conn.isActive(dom));
        conn.destroy(dom, 0);
        VirtException notRunning = assertThrows(VirtException.class, () -> conn.reset(dom, 0));
        assertEquals(ErrorCode.OPERATION_INVALID, notRunning.code());
    }

    @Test
    void pinsFromTheDefinitionAndFromPinCallsReachTheThreads() throws Exception {
        // the test process's own CPUs: those the guest's threads may be pinned to here
        java.util.BitSet usable = org.jvirtd.platform.host.Affinity.get(ProcessHandle.current().pid());
        org.junit.jupiter.api.Assumptions.assumeTrue(usable.cardinality() >= 2, "pinning needs two host CPUs");
        int first = usable.nextSetBit(0);
        int second = usable.nextSetBit(first + 1);
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("pins.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-pins", guest, console)
            .replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu><cputune><vcpupin vcpu='0' cpuset='" + second
                + "'/><emulatorpin cpuset='" + first + "'/></cputune>"), 0);
        conn.create(dom, 0);
        assertEquals(java.util.BitSet.valueOf(new long[] {1L << second}), conn.vcpuInfo(dom).get(0).affinity(),
            "the vCPU thread runs where <vcpupin> says");
        assertEquals(java.util.BitSet.valueOf(new long[] {1L << first}), conn.emulatorPinInfo(dom, 0));

        java.util.BitSet both = new java.util.BitSet();
        both.set(first);
        both.set(second);
        conn.pinVcpu(dom, 0, java.util.BitSet.valueOf(new long[] {1L << first}), DomainFlags.AFFECT_LIVE);
        assertEquals(java.util.BitSet.valueOf(new long[] {1L << first}), conn.vcpuInfo(dom).get(0).affinity());
        assertTrue(conn.xml(dom, 0).contains("<vcpupin vcpu='0' cpuset='" + first + "'/>"), conn.xml(dom, 0));
        assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains("<vcpupin vcpu='0' cpuset='" + second + "'/>"),
            "a live pin leaves the config alone");
        conn.pinEmulator(dom, both, DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG);
        assertEquals(both, conn.emulatorPinInfo(dom, DomainFlags.AFFECT_CONFIG));
        VirtException outOfRange = assertThrows(VirtException.class,
            () -> conn.pinVcpu(dom, 3, both, DomainFlags.AFFECT_CONFIG));
        assertEquals("invalid argument: vcpu 3 is out of range of persistent cpu count 1", outOfRange.getMessage());
    }

    @Test
    void aCdromGetsAndLosesItsMediumWhileTheGuestRuns() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path iso = root.resolve("media.iso");
        java.nio.file.Files.write(iso, new byte[3 * 1024 * 1024]);
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-media", guest, root.resolve("media.log"))
            .replace("<memballoon model='none'/>", "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/>"
                + "</disk><memballoon model='none'/>"), 0);
        conn.create(dom, 0);
        String insert = "<disk type='file' device='cdrom'><source file='" + iso + "'/><target dev='hdc' bus='ide'/>"
            + "</disk>";
        conn.updateDevice(dom, insert, DomainFlags.AFFECT_LIVE);
        assertTrue(conn.xml(dom, 0).contains("<source file='" + iso + "'"), conn.xml(dom, 0));
        assertEquals(3 * 1024 * 1024, conn.blockInfo(dom, "hdc", 0).capacity(), "QEMU has the new medium");
        assertTrue(!conn.xml(dom, DomainFlags.XML_INACTIVE).contains(iso.toString()), "a live change only");

        conn.updateDevice(dom, "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>",
            DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG);
        assertTrue(!conn.xml(dom, 0).contains(iso.toString()), "ejected");
        VirtException disk = assertThrows(VirtException.class, () -> conn.updateDevice(dom,
            "<disk type='file' device='cdrom'><target dev='hdz' bus='ide'/></disk>", DomainFlags.AFFECT_LIVE));
        assertEquals("invalid argument: target hdz doesn't exist.", disk.getMessage());
    }
}
