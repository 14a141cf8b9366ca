package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virDomainOpenGraphicsFD on a VNC guest: the descriptor returned is a client of QEMU's VNC server, which
 * greets it with RFB 3.8 and offers VNC authentication for a guest with a password, none with
 * VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH; libvirt's refusals for a bad index, unknown flags and a shut-off guest.
 */
class QemuGraphicsFdTest {
    /** read(2)/write(2)/close(2) on the raw descriptor. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        int close(int fd);
    }

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
            core.close();
        }
    }

    @Test
    void theDescriptorIsAVncClientWithOrWithoutAuthentication() throws Exception {
        Prerequisite.requirePrograms("qemu-system-x86_64");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-vnc-fd", TinyGuest.build(), root.resolve("c.log"))
            .replace("<memballoon model='none'/>", "<graphics type='vnc' passwd='secret'><listen type='none'/>"
                + "</graphics><memballoon model='none'/>"), 0);
        VirtException off = assertThrows(VirtException.class, () -> conn.openGraphicsFd(dom, 0, 0));
        assertEquals("Requested operation is not valid: domain is not running", off.getMessage());
        conn.create(dom, 0);

        assertEquals(2, securityTypeOffered(conn.openGraphicsFd(dom, 0, 0)), "VNC authentication (the password)");
        assertEquals(1, securityTypeOffered(conn.openGraphicsFd(dom, 0, 1)), "none, with SKIPAUTH");

        VirtException index = assertThrows(VirtException.class, () -> conn.openGraphicsFd(dom, 1, 0));
        assertEquals("internal error: No graphics backend with index 1", index.getMessage());
        VirtException flags = assertThrows(VirtException.class, () -> conn.openGraphicsFd(dom, 0, 2));
        assertEquals("unsupported flags (0x2) in function qemuDomainOpenGraphicsFD", flags.getMessage());
    }

    /** The RFB 3.8 handshake up to the security types: the one type the server offers. */
    private static int securityTypeOffered(int fd) {
        try {
            byte[] greeting = readFully(fd, 12);
            assertEquals("RFB 003.008\n", new String(greeting, StandardCharsets.US_ASCII));
            byte[] version = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(version.length, LibC.INSTANCE.write(fd, version, version.length));
            byte[] types = readFully(fd, 2);
            assertArrayEquals(new byte[] {1, types[1]}, types, "one security type");
            return types[1];
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    private static byte[] readFully(int fd, int count) {
        byte[] all = new byte[count];
        int done = 0;
        while (done < count) {
            byte[] piece = new byte[count - done];
            long n = LibC.INSTANCE.read(fd, piece, piece.length);
            if (n <= 0) {
                throw new AssertionError("the VNC server closed the connection after " + done + " bytes");
            }
            System.arraycopy(piece, 0, all, done, (int) n);
            done += (int) n;
        }
        return all;
    }
}
