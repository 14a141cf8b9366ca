package org.jvirtd.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What XenHost finds missing, from a capabilities file and a PATH laid out in a temporary folder, and the errors a
 * call that needs Xen gets.
 */
class XenHostTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheCapabilitiesFileTheHypervisorIsMissing() {
        XenHost host = new XenHost(dir.resolve("capabilities"), dir.toString());
        assertEquals("no running Xen hypervisor (" + dir.resolve("capabilities") + " does not exist)",
            host.missing());
        VirtException e = host.unavailable("virDomainCreate");
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        assertEquals(ErrorDomain.LIBXL, e.domain());
        assertEquals("Requested operation is not valid: virDomainCreate needs Xen, and this host has no running Xen"
            + " hypervisor (" + dir.resolve("capabilities") + " does not exist); only domain XML conversion"
            + " (xen-xl) works without it", e.getMessage());
    }

    @Test
    void aGuestDomainIsNotTheControlDomain() throws Exception {
        Files.writeString(dir.resolve("capabilities"), "");
        assertEquals("this host is not the Xen control domain (" + dir.resolve("capabilities")
            + " does not say control_d)", new XenHost(dir.resolve("capabilities"), dir.toString()).missing());
    }

    @Test
    void dom0WithoutXlLacksTheToolstackAndWithItLacksNothing() throws Exception {
        Files.writeString(dir.resolve("capabilities"), "control_d\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        XenHost host = new XenHost(dir.resolve("capabilities"), bin.toString());
        assertEquals("the xl toolstack is not installed (no xl on PATH)", host.missing());
        assertEquals("Requested operation is not valid: virDomainCreate needs Xen, and this host has the xl toolstack"
            + " is not installed (no xl on PATH); only domain XML conversion (xen-xl) works without it",
            assertThrows(VirtException.class, () -> host.require("virDomainCreate")).getMessage());
        Files.createFile(bin.resolve("xl"), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x")));
        assertNull(host.missing());
        host.require("virDomainCreate");
    }
}
