package org.jvirtd.storage.dir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.storage.core.internal.CoreStoragePools;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a clear libvirt error and changes nothing: names with '/', capacities that overflow,
 * pools whose targets overlap, volumes that exist, busy pools.
 */
class BadInputTest {
    @TempDir
    Path root;
    private CoreStoragePools pools;
    private PoolRef pool;
    private Path target;

    @BeforeEach
    void startPoolWithOneVolume() {
        pools = new StorageFixture(root, new DirPoolBackend()).pools();
        target = root.resolve("images");
        pool = pools.definePool(StorageFixture.dirPool("images", target), 0);
        pools.buildPool(pool, 0);
        pools.startPool(pool, 0);
        pools.createVolume(pool, StorageFixture.volume("keep.img", 1 << 20, "raw"), 0);
    }

    private void assertNothingLost() throws IOException {
        assertEquals(List.of("keep.img"), pools.listAllVolumes(pool, 0).stream().map(VolumeRef::name).toList());
        try (var files = Files.list(target)) {
            assertEquals(List.of(target.resolve("keep.img")), files.toList());
        }
        assertEquals(List.of("images"), pools.listAllPools(0).stream().map(PoolRef::name).toList());
    }

    @Test
    void volumeNameWithSlashIsRefused() throws IOException {
        VirtException e = assertThrows(VirtException.class,
            () -> pools.createVolume(pool, StorageFixture.volume("../escape.img", 1024, "raw"), 0));
        assertEquals("Requested operation is not valid: volume name '../escape.img' cannot contain '/'", e.getMessage());
        assertNothingLost();
    }

    @Test
    void capacityThatOverflowsIsRefused() throws IOException {
        String xml = "<volume><name>huge.img</name><capacity unit='EiB'>100</capacity></volume>";
        VirtException e = assertThrows(VirtException.class, () -> pools.createVolume(pool, xml, 0));
        assertEquals(ErrorCode.OVERFLOW, e.code());
        VolumeRef keep = pools.lookupVolumeByName(pool, "keep.img");
        VirtException delta = assertThrows(VirtException.class,
            () -> pools.resizeVolume(keep, Long.MAX_VALUE, StorageFlags.RESIZE_DELTA));
        assertEquals(ErrorCode.OVERFLOW, delta.code());
        assertNothingLost();
    }

    @Test
    void capacityTheFileSystemCannotHoldLeavesNoFileBehind() throws IOException {
        String xml = "<volume><name>huge.img</name><capacity unit='EiB'>7</capacity><allocation>0</allocation></volume>";
        VirtException e = assertThrows(VirtException.class, () -> pools.createVolume(pool, xml, 0));
        assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("cannot create path '" + target.resolve("huge.img") + "'"), e.getMessage());
        assertNothingLost();
    }

    @Test
    void poolTargetOverlappingAnotherPoolIsRefused() throws IOException {
        VirtException same = assertThrows(VirtException.class,
            () -> pools.definePool(StorageFixture.dirPool("twin", target), 0));
        assertEquals("operation failed: Storage source conflict with pool: 'images'", same.getMessage());
        VirtException inside = assertThrows(VirtException.class,
            () -> pools.definePool(StorageFixture.dirPool("inner", target.resolve("sub")), 0));
        assertEquals("operation failed: target path '" + target.resolve("sub") + "' of pool 'inner' overlaps "
            + "target path '" + target + "' of pool 'images'", inside.getMessage());
        assertNothingLost();
    }

    @Test
    void existingVolumeNameAndSameNameWithOtherUuidAreRefused() throws IOException {
        VirtException exists = assertThrows(VirtException.class,
            () -> pools.createVolume(pool, StorageFixture.volume("keep.img", 2048, "qcow2"), 0));
        assertEquals(ErrorCode.STORAGE_VOL_EXIST, exists.code());
        VirtException uuid = assertThrows(VirtException.class, () -> pools.definePool(
            "<pool type='dir'><name>images</name><uuid>00000000-0000-0000-0000-000000000001</uuid>"
                + "<target><path>" + target + "</path></target></pool>", 0));
        assertEquals("operation failed: pool 'images' already exists with uuid " + pool.uuid(), uuid.getMessage());
        assertNothingLost();
    }

    @Test
    void busyPoolCannotBeStoppedAndBusyVolumeCannotBeDeleted() throws IOException {
        VolumeRef keep = pools.lookupVolumeByName(pool, "keep.img");
        try (var download = pools.download(keep, 0, 0, 0)) {
            VirtException busy = assertThrows(VirtException.class, () -> pools.destroyPool(pool));
            assertEquals("Requested operation is not valid: pool 'images' has asynchronous jobs running.",
                busy.getMessage());
            VirtException inUse = assertThrows(VirtException.class, () -> pools.deleteVolume(keep, 0));
            assertEquals("Requested operation is not valid: volume 'keep.img' is still in use.", inUse.getMessage());
        }
        assertNothingLost();
        pools.destroyPool(pool);
    }
}
