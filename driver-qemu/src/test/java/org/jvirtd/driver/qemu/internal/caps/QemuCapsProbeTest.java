package org.jvirtd.driver.qemu.internal.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCapsProbeTest {
    @TempDir
    Path dir;

    @Test
    void probingTheInstalledQemuFindsPcAndQ35AndCachesByPathAndMtime() {
        QemuCapsCache cache = new QemuCapsCache(dir);
        QemuCaps caps = cache.get("/usr/bin/qemu-system-x86_64");
        assertTrue(caps.version() >= 7_000_000, "version " + caps.version());
        assertTrue(caps.machine("tcg", "pc").isPresent(), "pc alias resolves");
        assertTrue(caps.machine("tcg", "q35").isPresent(), "q35 alias resolves");
        assertTrue(caps.has("device.json+hotplug") && caps.has("piix3-usb-uhci"), "flags " + caps.flags());
        QemuCaps again = new QemuCapsCache(dir).get("/usr/bin/qemu-system-x86_64");
        assertEquals(caps.flags(), again.flags(), "a second cache reads the probe from disk");
    }
}
