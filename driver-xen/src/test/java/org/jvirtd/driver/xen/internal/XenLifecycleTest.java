package org.jvirtd.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.xen.internal.xl.XlConversion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle through xl against the fake xl of src/test/fake-xl (outputs replayed from captures, NOT a real
 * Xen host): which command lines the driver gives xl for each call, what it records, and what it reports when
 * the domain changes behind its back (seen by polling xl list).
 */
class XenLifecycleTest {
    private static final UUID UUID_PV = UUID.fromString("039e9ee6-4a84-3055-4c81-8ba426ae2656");

    @TempDir
    Path dir;
    private FakeXl fake;
    private XenDriver driver;
    private RecordingHandle domain;
    private String xml;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeXl(dir);
        driver = fake.driver();
        xml = Files.readString(Path.of(System.getProperty("jvirtd.shared"), "conformance/libxlxml2domconfig/basic-pv.xml"));
        domain = new RecordingHandle("test-pv", UUID_PV, xml, dir.resolve("state"));
    }

    @AfterEach
    void tearDown() {
        driver.deactivate();
    }

    private Path config() {
        return dir.resolve("state/xl/test-pv.cfg");
    }

    @Test
    void startWritesTheConvertedConfigAndCreatesFromIt() throws Exception {
        driver.start(domain, false);
        assertEquals(List.of("create " + config(), "domid test-pv"), fake.commands());
        assertEquals(XlConversion.toXlConfig(xml), Files.readString(config()));
        assertEquals(Map.of(XenDriver.DOMID, "1", XenDriver.PAUSED, "no"), domain.runtime());
        assertEquals(1, domain.id(), "the domain's id is Xen's domain id");
        assertTrue(driver.cpuTimeNanos(domain) > 0);
        assertEquals(List.of("list"), fake.commands());
    }

    @Test
    void startPausedAsksXlForAPausedDomain() throws Exception {
        driver.start(domain, true);
        assertEquals(List.of("create -p " + config(), "domid test-pv"), fake.commands());
        assertEquals("yes", domain.runtime().get(XenDriver.PAUSED));
    }

    @Test
    void pauseAndUnpauseAreNotReportedAgainByThePoller() throws Exception {
        driver.start(domain, false);
        driver.suspend(domain);
        driver.watch().poll();
        driver.resume(domain);
        driver.watch().poll();
        assertEquals(List.of("create " + config(), "domid test-pv", "pause test-pv", "list", "unpause test-pv",
            "list"), fake.commands());
        assertEquals(List.of(), domain.reports);
    }

    @Test
    void changesMadeOutsideTheDriverAreReported() throws Exception {
        driver.start(domain, false);
        fake.run("pause", "test-pv");
        driver.watch().poll();
        fake.run("unpause", "test-pv");
        driver.watch().poll();
        fake.run("reboot", "test-pv");
        driver.watch().poll();
        assertEquals("2", domain.runtime().get(XenDriver.DOMID), "xl restarted the rebooted guest as domain 2");
        assertEquals(2, domain.id());
        assertEquals(List.of("PAUSED/1", "RUNNING/5"), domain.reports);
        fake.run("destroy", "test-pv");
        driver.watch().poll();
        assertEquals(List.of("PAUSED/1", "RUNNING/5", "SHUTOFF/1"), domain.reports);
        assertFalse(driver.watch().isWatched("test-pv"));
    }

    @Test
    void aStartWhoseDomainIdCannotBeReadDestroysWhatXlStarted() throws Exception {
        XenDriver failing = fake.driver(Map.of("FAKE_XL_FAIL", "domid"));
        try {
            assertThrows(VirtException.class, () -> failing.start(domain, false));
        } finally {
            failing.deactivate();
        }
        assertEquals(List.of("create " + config(), "domid test-pv", "destroy test-pv"), fake.commands());
        assertFalse(Files.exists(fake.state.resolve("domains/test-pv")), "nothing left running in Xen");
    }

    @Test
    void aGuestXlShowsCrashedIsReportedCrashed() throws Exception {
        driver.start(domain, false);
        Files.createFile(fake.state.resolve("domains/test-pv.crashed"));
        driver.watch().poll();
        assertEquals(List.of("SHUTOFF/3"), domain.reports);
        assertFalse(driver.watch().isWatched("test-pv"));
    }

    @Test
    void shutdownAsksTheGuestAndTheStopIsSeenByPolling() throws Exception {
        driver.start(domain, false);
        Files.createFile(fake.state.resolve("domains/test-pv.ignore"));
        driver.shutdown(domain);
        driver.watch().poll();
        assertEquals(List.of(), domain.reports, "the guest ignored the request");
        Files.delete(fake.state.resolve("domains/test-pv.ignore"));
        driver.shutdown(domain);
        driver.watch().poll();
        assertEquals(List.of("SHUTOFF/1"), domain.reports);
        assertEquals(List.of("create " + config(), "domid test-pv", "shutdown test-pv", "list", "shutdown test-pv",
            "list"), fake.commands());
    }

    @Test
    void rebootAndDestroyNameTheDomain() throws Exception {
        driver.start(domain, false);
        driver.reboot(domain);
        driver.destroy(domain);
        driver.watch().poll();
        assertEquals(List.of("create " + config(), "domid test-pv", "reboot test-pv", "destroy test-pv"),
            fake.commands(), "nothing is polled once no domain is watched");
        assertEquals(List.of(), domain.reports, "core reports the destroy itself");
    }

    @Test
    void aFailingXlCallFailsWithXlsWordsAndTheDomainStaysWatched() throws Exception {
        driver.start(domain, false);
        XenDriver failing = fake.driver(Map.of("FAKE_XL_FAIL", "destroy"));
        try {
            failing.start(new RecordingHandle("other", UUID.randomUUID(), xml.replace("test-pv", "other")
                .replace(UUID_PV.toString(), UUID.randomUUID().toString()), dir.resolve("state")), false);
            RecordingHandle other = new RecordingHandle("other", UUID.randomUUID(), xml, dir.resolve("state"));
            VirtException e = assertThrows(VirtException.class, () -> failing.destroy(other));
            assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
            assertEquals("internal error: '" + FakeXl.PROGRAM + " destroy other' failed (exit status 1): libxl: error:"
                + " libxl_domain.c:1227:libxl__destroy_domid: Domain 1:Non-existant domain", e.getMessage());
            assertTrue(failing.watch().isWatched("other"));
        } finally {
            failing.deactivate();
        }
        VirtException twice = assertThrows(VirtException.class, () -> driver.start(domain, false));
        assertTrue(twice.getMessage().endsWith("Domain with name \"test-pv\" already exists."), twice.getMessage());
    }

    @Test
    void saveWritesLibvirtsHeaderTheXmlAndXlsImageAndRestoreGivesItBack() throws Exception {
        driver.start(domain, false);
        fake.commands();
        Path image = dir.resolve("saved/test-pv.save");
        Files.createDirectories(image.getParent());
        driver.save(domain, image);
        assertEquals(List.of("save test-pv " + image + ".xl"), fake.commands());
        assertFalse(Files.exists(Path.of(image + ".xl")), "xl's own file is folded into the image");
        byte[] bytes = Files.readAllBytes(image);
        assertArrayEquals("libvirt-xml\n \0 \r".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(bytes, 16));
        assertEquals(2, bytes[16]);
        int length = (bytes[20] & 0xff) | (bytes[21] & 0xff) << 8 | (bytes[22] & 0xff) << 16;
        assertEquals(xml.getBytes(StandardCharsets.UTF_8).length + 1, length);
        assertTrue(new String(bytes, 64 + length, 27, StandardCharsets.ISO_8859_1).equals("Xen saved domain, xl format"));
        assertEquals(xml, driver.saveImageXml(image));
        assertFalse(driver.watch().isWatched("test-pv"));

        driver.restore(domain, image, true);
        Path restored = dir.resolve("state/xl/test-pv.save");
        assertEquals(List.of("restore -p " + restored, "domid test-pv"), fake.commands());
        assertFalse(Files.exists(restored));
        assertEquals(Map.of(XenDriver.DOMID, "2", XenDriver.PAUSED, "yes"), domain.runtime());
        assertEquals(2, domain.id());
        assertTrue(driver.watch().isWatched("test-pv"));
    }

    @Test
    void aRestartedDaemonFindsTheDomainByUuidInXlListLong() throws Exception {
        driver.start(domain, false);
        fake.run("pause", "test-pv");
        driver.deactivate();
        fake.commands();
        driver = fake.driver();
        RecordingHandle again = new RecordingHandle("test-pv", UUID_PV, xml, dir.resolve("state"));
        again.putRuntime(Map.of(XenDriver.DOMID, "1", XenDriver.PAUSED, "no"));
        assertTrue(driver.reattach(again));
        assertEquals(List.of("list -l", "list"), fake.commands());
        assertEquals(List.of("PAUSED/0"), again.reports, "paused while nobody watched: reason unknown, as libvirt says");
        assertTrue(driver.watch().isWatched("test-pv"));
        RecordingHandle unknown = new RecordingHandle("test-pv", UUID.randomUUID(), xml, dir.resolve("state"));
        assertFalse(driver.reattach(unknown));
    }
}
