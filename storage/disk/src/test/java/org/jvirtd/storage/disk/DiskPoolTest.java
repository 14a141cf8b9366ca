package org.jvirtd.storage.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.storage.core.internal.LoopDevice;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk pool on a loop device, for real: a GPT label, a partition made and removed with parted. Needs root.
 */
class DiskPoolTest {
    @TempDir
    Path root;

    @Test
    void gptLabelAndPartitionsOnLoopDevice() throws Exception {
        Prerequisite.require(LoopDevice.NEEDS, LoopDevice.usable());
        Prerequisite.requirePrograms("parted");
        try (LoopDevice loop = LoopDevice.attach(root.resolve("disk.img"), 64 << 20)) {
            StoragePools pools = new StorageFixture(root, new DiskPoolBackend()).pools();
            PoolRef pool = pools.definePool("<pool type='disk'><name>disk</name><source><device path='" + loop.path()
                + "'/><format type='gpt'/></source><target><path>/dev</path></target></pool>", 0);
            pools.buildPool(pool, 0);
            pools.startPool(pool, 0);
            assertEquals(List.of(), pools.listAllVolumes(pool, 0));
            VolumeRef part = pools.createVolume(pool, "<volume><name>data</name><capacity unit='M'>8</capacity>"
                + "</volume>", 0);
            String base = loop.path().substring("/dev/".length());
            assertEquals(base + "p1", part.name());
            assertEquals(8L << 20, pools.volumeInfo(part).capacity());
            pools.deleteVolume(part, 0);
            assertEquals(List.of(), pools.listAllVolumes(pool, 0));
            pools.destroyPool(pool);
        }
    }
}
