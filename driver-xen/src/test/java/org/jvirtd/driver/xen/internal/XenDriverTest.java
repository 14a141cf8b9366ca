package org.jvirtd.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.xen.internal.toolstack.XlCommand;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver on a host without Xen: it answers xen:///system, converts xen-xl both ways, stores Xen definitions
 * only, and every call that needs the hypervisor fails naming what is missing.
 */
class XenDriverTest {
    private static final String CFG = "name = \"g\"\nuuid = \"c7a5fdb2-cdaf-9455-926a-d65c16db1809\"\nmaxmem = 512\n"
        + "memory = 512\nvcpus = 1\nlocaltime = 0\non_poweroff = \"destroy\"\non_reboot = \"restart\"\n"
        + "on_crash = \"restart\"\nkernel = \"/boot/vmlinuz\"\n";

    @TempDir
    Path dir;

    private XenDriver driver() {
        return new XenDriver(new XenHost(dir.resolve("capabilities"), dir.toString()),
            new XlCommand(dir.resolve("xl").toString()), Duration.ofHours(1));
    }

    @Test
    void answersXenSystemOnly() {
        assertTrue(driver().accepts(URI.create("xen:///system")));
        assertTrue(!driver().accepts(URI.create("xen:///session")));
        assertTrue(!driver().accepts(URI.create("qemu:///system")));
    }

    @Test
    void convertsXenXlBothWaysWithoutXen() {
        String xml = driver().domainXmlFromNative("xen-xl", CFG);
        assertTrue(xml.startsWith("<domain type='xen'>\n  <name>g</name>\n"), xml);
        assertTrue(xml.contains("<kernel>/boot/vmlinuz</kernel>"), xml);
        assertEquals(CFG, driver().domainXmlToNative("xen-xl", xml));
    }

    @Test
    void otherNativeFormatsAreRefused() {
        VirtException e = assertThrows(VirtException.class, () -> driver().domainXmlToNative("xen-xm", "<x/>"));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertEquals("invalid argument: unsupported config type xen-xm", e.getMessage());
    }

    @Test
    void onlyXenDefinitionsAreStoredAndStartingNeedsXen() {
        String xml = driver().domainXmlFromNative("xen-xl", CFG);
        assertEquals(xml, driver().validateDefinition(xml));
        VirtException kvm = assertThrows(VirtException.class,
            () -> driver().validateDefinition(xml.replace("type='xen'", "type='kvm'")));
        assertEquals("invalid argument: could not find capabilities for domaintype=kvm", kvm.getMessage());
        VirtException start = assertThrows(VirtException.class, () -> driver().start(null, false));
        assertEquals(ErrorCode.OPERATION_INVALID, start.code());
        assertTrue(start.getMessage().contains("virDomainCreate needs Xen, and this host has no running Xen"
            + " hypervisor"), start.getMessage());
        assertThrows(VirtException.class, () -> driver().capabilities());
    }

    /** Every call that needs Xen names itself and what is missing; none of them runs xl. */
    @Test
    void everyCallThatNeedsXenSaysWhatIsMissing() {
        XenDriver d = driver();
        RecordingHandle domain = new RecordingHandle("g", java.util.UUID.randomUUID(), "<domain/>", dir);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("virConnectGetVersion", d::hypervisorVersion);
        calls.put("virConnectGetCapabilities", d::capabilities);
        calls.put("virConnectGetDomainCapabilities", () -> d.domainCapabilities(null, null, null, null, 0));
        calls.put("virNodeGetInfo", d::nodeInfo);
        calls.put("virConnectGetMaxVcpus", () -> d.maxVcpus(null));
        calls.put("virDomainCreate", () -> d.start(domain, false));
        calls.put("virDomainShutdown", () -> d.shutdown(domain));
        calls.put("virDomainReboot", () -> d.reboot(domain));
        calls.put("virDomainDestroy", () -> d.destroy(domain));
        calls.put("virDomainSuspend", () -> d.suspend(domain));
        calls.put("virDomainResume", () -> d.resume(domain));
        calls.put("virDomainSave", () -> d.save(domain, dir.resolve("image")));
        calls.put("virDomainRestore", () -> d.restore(domain, dir.resolve("image"), false));
        calls.forEach((api, call) -> {
            VirtException e = assertThrows(VirtException.class, call, api);
            assertEquals(ErrorCode.OPERATION_INVALID, e.code(), api);
            assertEquals("Requested operation is not valid: " + api + " needs Xen, and this host has no running Xen"
                + " hypervisor (" + dir.resolve("capabilities") + " does not exist); only domain XML conversion"
                + " (xen-xl) works without it", e.getMessage());
        });
        assertFalse(d.reattach(domain), "a domain recorded as running is gone once Xen is");
        assertEquals(0, d.cpuTimeNanos(domain));
        d.deactivate();
    }
}
