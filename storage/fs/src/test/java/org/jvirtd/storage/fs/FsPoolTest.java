package org.jvirtd.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.storage.core.internal.LoopDevice;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.jvirtd.storage.util.MountedPoolBackend;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ext4 fs pool on a loop device, for real: mkfs, mount, volumes, a refresh that sees a file made behind
 * jvirtd's back, unmount on stop, reattach after a restart. Needs root.
 */
class FsPoolTest {
    @TempDir
    Path root;

    @Test
    void ext4PoolOnLoopDeviceMountsRefreshesAndUnmounts() throws Exception {
        Prerequisite.require(LoopDevice.NEEDS, LoopDevice.usable());
        Path target = root.resolve("mnt");
        try (LoopDevice loop = LoopDevice.attach(root.resolve("disk.img"), 64 << 20)) {
            StorageFixture fixture = new StorageFixture(root, new FsPoolBackend());
            StoragePools pools = fixture.pools();
            PoolRef pool = pools.definePool("<pool type='fs'><name>ext</name><source><device path='" + loop.path()
                + "'/><format type='ext4'/></source><target><path>" + target + "</path></target></pool>", 0);
            try {
                pools.buildPool(pool, StorageFlags.BUILD_OVERWRITE);
                VirtException built = assertThrows(VirtException.class,
                    () -> pools.buildPool(pool, StorageFlags.BUILD_NO_OVERWRITE));
                assertEquals(ErrorCode.STORAGE_POOL_BUILT, built.code());
                pools.startPool(pool, 0);
                assertTrue(MountedPoolBackend.mounted(target.toString()));
                assertTrue(pools.poolInfo(pool).capacity() > 50L << 20);

                pools.createVolume(pool, StorageFixture.volume("disk.qcow2", 16 << 20, "qcow2"), 0);
                Files.write(target.resolve("outside.img"), new byte[8192]);
                pools.refreshPool(pool, 0);
                assertEquals(List.of("disk.qcow2", "outside.img"),
                    pools.listAllVolumes(pool, 0).stream().map(VolumeRef::name).toList());

                StoragePools again = fixture.restart();
                assertTrue(again.isPoolActive(again.lookupPoolByName("ext")));

                again.destroyPool(pool);
                assertFalse(MountedPoolBackend.mounted(target.toString()));
                assertFalse(Files.exists(target.resolve("outside.img")));
                again.startPool(pool, 0);
                assertEquals(2, again.listAllVolumes(pool, 0).size());
                again.destroyPool(pool);
                again.deletePool(pool, 0);
                assertFalse(Files.exists(target));
            } finally {
                if (MountedPoolBackend.mounted(target.toString())) {
                    new ProcessBuilder("umount", target.toString()).start().waitFor();
                }
            }
        }
    }
}
