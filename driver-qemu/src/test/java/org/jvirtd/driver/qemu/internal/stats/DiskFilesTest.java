package org.jvirtd.driver.qemu.internal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.testing.Prerequisite;

/** Sizes of images that no QEMU has open: a qcow2 made by the real qemu-img, a sparse raw file. */
class DiskFilesTest {
    @TempDir
    Path dir;

    @Test
    void qcow2CapacityComesFromItsHeaderAndItsFileIsSmall() throws Exception {
        Prerequisite.requirePrograms("qemu-img");
        Path image = dir.resolve("d.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-f", "qcow2", image.toString(), "32M").inheritIO().start();
        assertEquals(0, p.waitFor());
        BlockInfo info = DiskFiles.info(image, "qcow2");
        assertEquals(32L << 20, info.capacity());
        assertEquals(Files.size(image), info.physical());
        assertTrue(info.allocation() > 0 && info.allocation() < 1 << 20, info.toString());
    }

    @Test
    void aSparseRawFileHasItsLengthAsCapacityAndNothingAllocated() throws Exception {
        Path image = dir.resolve("d.raw");
        try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(16L << 20);
        }
        assertEquals(new BlockInfo(16L << 20, 0, 16L << 20), DiskFiles.info(image, "raw"));
        assertThrows(VirtException.class, () -> DiskFiles.info(image, "qcow2"), "a raw file is no qcow2 image");
    }
}
