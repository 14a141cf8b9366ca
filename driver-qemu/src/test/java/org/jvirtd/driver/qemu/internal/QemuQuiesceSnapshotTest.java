package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quiesced external snapshots (--quiesce) with Debian's qemu-guest-agent in the tiny TCG guest: the agent
 * freezes the guest's file systems around the switch to the overlays and thaws them after, also when the
 * snapshot fails; libvirt 9.0's refusals without --disk-only and without an agent channel.
 */
class QemuQuiesceSnapshotTest {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final int QUIESCED_DISK_ONLY = SnapshotFlags.Create.DISK_ONLY | SnapshotFlags.Create.QUIESCE;
    private static Path guest;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildGuest() throws Exception {
        Prerequisite.requirePrograms("qemu-system-x86_64", "cpio");
        Prerequisite.require("/usr/sbin/qemu-ga (Debian package qemu-guest-agent)",
            Files.isExecutable(Path.of("/usr/sbin/qemu-ga")));
        guest = TinyGuest.buildWithAgent();
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

    private static void exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    private String domainXml(String name, Path disk, boolean agent) {
        String xml = TinyGuest.domainXml(name, guest, root.resolve(name + ".log"))
            .replace("fixture.net=off", "fixture.net=off fixture.shell=1")
            .replaceFirst("<serial type='file'>.*</serial>", "<serial type='unix'><source mode='bind' path='"
                + root.resolve("serial.sock") + "'/><target port='0'/></serial>")
            .replace("<memballoon",
            "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + disk
                + "'/><target dev='vda' bus='virtio'/></disk>\n    <memballoon");
        return agent ? xml.replace("<memballoon model='none'/>", "<channel type='unix'><target type='virtio' "
            + "name='org.qemu.guest_agent.0'/></channel><memballoon model='none'/>") : xml;
    }

    private String freezeStatus(Connection conn, DomainRef dom) {
        return conn.agentCommand(dom, "{\"execute\":\"guest-fsfreeze-status\"}", -2, 0);
    }

    @Test
    void aQuiescedSnapshotFreezesThroughTheAgentAndThawsAfterwards() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = root.resolve("disk.qcow2");
        exec("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        DomainRef dom = conn.define(domainXml("jq-quiesce", disk, true), 0);
        conn.create(dom, 0);
        TinyGuest.await(BOOT, "the agent to answer", () -> {
            try {
                return freezeStatus(conn, dom).contains("thawed");
            } catch (VirtException e) {
                return false;
            }
        });

        VirtException notDiskOnly = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
            "<domainsnapshot><name>q0</name></domainsnapshot>", SnapshotFlags.Create.QUIESCE));
        assertEquals("Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag "
            + "'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'", notDiskOnly.getMessage());

        try (GuestShell shell = GuestShell.connect(root.resolve("serial.sock"))) {
            // qemu-ga tells syslog of each freeze: a syslogd in the guest shows whether the snapshot asked for one
            assertTrue(shell.run("syslogd -O /tmp/messages", "SYSLOG", BOOT), "the guest's shell answers");
            conn.snapshots().create(dom, "<domainsnapshot><name>q1</name></domainsnapshot>", QUIESCED_DISK_ONLY);
            assertTrue(shell.run("echo FREEZES=$(grep -c 'guest-fsfreeze called' /tmp/messages)=$((1+1))", "COUNT",
                BOOT));
            assertTrue(shell.saw("FREEZES=1=2"), "one freeze through the agent; the guest printed: " + shell.tail(400));
        }
        assertTrue(conn.xml(dom, 0).contains("<source file='" + root.resolve("disk.q1") + "'"));
        assertEquals("{\"return\":\"thawed\"}", freezeStatus(conn, dom), "thawed after the snapshot");

        // a snapshot failing after the freeze thaws the guest again
        VirtException missing = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
            "<domainsnapshot><name>q3</name><disks><disk name='vda'><source file='" + root.resolve("none.qcow2")
                + "'/></disk></disks></domainsnapshot>", QUIESCED_DISK_ONLY | SnapshotFlags.Create.REUSE_EXT));
        assertEquals("missing existing file for disk vda: " + root.resolve("none.qcow2")
            + ": No such file or directory", missing.getMessage());
        assertEquals("{\"return\":\"thawed\"}", freezeStatus(conn, dom), "thawed after the failed snapshot");
    }

    @Test
    void aQuiescedSnapshotWithoutAnAgentChannelIsRefusedAsLibvirtDoes() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = root.resolve("disk.qcow2");
        exec("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        DomainRef dom = conn.define(domainXml("jq-no-agent", disk, false), 0);
        conn.create(dom, 0);
        VirtException none = assertThrows(VirtException.class, () -> conn.snapshots().create(dom,
            "<domainsnapshot><name>q</name></domainsnapshot>", QUIESCED_DISK_ONLY));
        assertEquals("argument unsupported: QEMU guest agent is not configured", none.getMessage());
        assertFalse(Files.exists(root.resolve("disk.q")));
    }
}
