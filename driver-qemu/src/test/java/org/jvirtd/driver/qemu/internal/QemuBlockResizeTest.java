package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virDomainBlockResize of the tiny TCG guest's second disk while it runs: the guest's kernel sees the new size
 * (virtio-blk's config change), read from /sys/block/vdb/size over the serial console.
 */
class QemuBlockResizeTest {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final long MIB = 1024 * 1024;
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

    private static void exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    private String domainXml(Path system, Path data, Path serial) {
        return "<domain type='qemu'>\n  <name>jq-resize</name>\n  <memory unit='MiB'>128</memory>\n"
            + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
            + "    <kernel>" + guest.resolve("vmlinuz") + "</kernel>\n"
            + "    <initrd>" + guest.resolve("initrd.img") + "</initrd>\n"
            + "    <cmdline>console=ttyS0 fixture.net=off fixture.shell=1</cmdline>\n  </os>\n"
            + "  <features><acpi/></features>\n  <devices>\n"
            + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            + "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='" + system + "'/><target dev='vda' bus='virtio'/></disk>\n"
            + "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            + "<source file='" + data + "'/><target dev='vdb' bus='virtio'/></disk>\n"
            + "    <serial type='unix'><source mode='bind' path='" + serial + "'/><target port='0'/></serial>\n"
            + "    <memballoon model='none'/>\n  </devices>\n</domain>\n";
    }

    @Test
    void aSecondDiskResizedWhileTheGuestRunsShowsItsNewSizeInTheGuest() throws Exception {
        Path system = root.resolve("system.qcow2");
        Path data = root.resolve("data.qcow2");
        exec("qemu-img", "create", "-q", "-f", "qcow2", system.toString(), "64M");
        exec("qemu-img", "create", "-q", "-f", "qcow2", data.toString(), "16M");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path serial = root.resolve("serial.sock");
        DomainRef dom = conn.define(domainXml(system, data, serial), 0);
        conn.create(dom, 0);
        try (GuestShell shell = GuestShell.connect(serial)) {
            assertTrue(shell.run("true", "UP", BOOT), "the guest's shell answers");
            assertSeen(shell, 16 * MIB, "the guest sees 16 MiB first");

            conn.blockOperations().resize(dom, "vdb", 40 * MIB, 1 /* VIR_DOMAIN_BLOCK_RESIZE_BYTES */);
            assertSeen(shell, 40 * MIB, "the guest sees the new 40 MiB without a reboot");

            conn.blockOperations().resize(dom, "vdb", 48 * 1024, 0);
            assertSeen(shell, 48 * MIB, "a size in KiB (no flag): 48 MiB");
        }
    }

    /** Asks the guest for vdb's size in 512-byte sectors until it prints {@code bytes}' count, or fails. */
    private static void assertSeen(GuestShell shell, long bytes, String what) throws Exception {
        // printed between markers the typed line does not contain
        String expected = "SIZE=" + bytes / 512 + "=2";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !shell.saw(expected)) {
            shell.run("echo SIZE=$(cat /sys/block/vdb/size)=$((1+1))", "SIZE", BOOT);
            Thread.sleep(500);
        }
        assertTrue(shell.saw(expected), what + "; the guest printed: " + shell.tail(600));
    }
}
