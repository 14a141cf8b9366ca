package org.jvirtd.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host facts from the fake xl's captured {@code xl info -n} (a 4-core, 8-thread, 16 GiB Xen 4.17 host with one
 * NUMA node; NOT recorded on a real Xen host): version, node info, maximum vCPUs, and the xl calls made.
 */
class XenHostFactsTest {
    @TempDir
    Path dir;
    private FakeXl fake;
    private XenDriver driver;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeXl(dir);
        driver = fake.driver();
    }

    @AfterEach
    void tearDown() {
        driver.deactivate();
    }

    @Test
    void versionIsMajorAndMinorAsLibvirtEncodesIt() throws Exception {
        assertEquals(4_017_000L, driver.hypervisorVersion());
        assertEquals(List.of("info -n"), fake.commands());
    }

    /** The real xl 4.17.7's words (a recorded capture) when dom0 looks right but the hypervisor cannot be reached. */
    @Test
    void xlThatCannotReachXenFailsTheCallWithXlsLastWords() {
        XenDriver broken = fake.driver(java.util.Map.of("FAKE_XL_NO_HYPERVISOR", "1"));
        try {
            VirtException e = assertThrows(VirtException.class, broken::capabilities);
            assertEquals("internal error: '" + FakeXl.PROGRAM + " info -n' failed (exit status 1): cannot init xl"
                + " context", e.getMessage());
        } finally {
            broken.deactivate();
        }
    }

    @Test
    void nodeInfoIsTheWholeHostAsXenSeesIt() {
        assertEquals(new Connection.NodeInfo("x86_64", 16268L * 1024, 8, 3408, 1, 1, 4, 2), driver.nodeInfo());
    }

    @Test
    void maxVcpusIsLibxlsMaxCpusWhateverTheType() {
        assertEquals(16, driver.maxVcpus(null));
        assertEquals(16, driver.maxVcpus("xen"));
        assertEquals(16, driver.maxVcpus("kvm"), "libvirt's libxl driver ignores the type");
    }

    @Test
    void domainCapabilitiesNeedFlagsZeroAndAXenMachine() {
        assertEquals("invalid argument: unsupported flags (0x1) in function libxlConnectGetDomainCapabilities",
            assertThrows(VirtException.class, () -> driver.domainCapabilities(null, null, null, null, 1)).getMessage());
        assertEquals("invalid argument: Xen only supports 'xenpv', 'xenpvh' and 'xenfv' machines",
            assertThrows(VirtException.class, () -> driver.domainCapabilities(null, null, "pc", null, 0)).getMessage());
        assertEquals("invalid argument: unknown virttype: kvm",
            assertThrows(VirtException.class, () -> driver.domainCapabilities(null, null, "pc", "kvm", 0)).getMessage(),
            "the virt type is checked before the machine");
        String pv = driver.domainCapabilities(null, null, null, null, 0);
        assertEquals(true, pv.contains("<machine>xenpv</machine>\n  <arch>x86_64</arch>\n  <vcpu max='512'/>"), pv);
    }
}
