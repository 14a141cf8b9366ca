package org.jvirtd.storage.logical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.model.storage.PoolSource;
import org.jvirtd.storage.core.internal.LoopDevice;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.jvirtd.storage.util.HostCommand;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical pool on a loop device, for real: pvcreate/vgcreate, vgchange, vgs/lvs, vgremove/pvremove. Where
 * the kernel has no device-mapper, lvcreate fails: the error must say so and the pool must stay as it was.
 * Needs root and lvm2.
 */
class LogicalPoolTest {
    private static final String VG = "jvirtdtestvg";

    @TempDir
    Path root;

    @Test
    void volumeGroupOnLoopDeviceIsBuiltStartedRefreshedAndDeleted() throws Exception {
        Prerequisite.require(LoopDevice.NEEDS, LoopDevice.usable());
        Prerequisite.requirePrograms("vgcreate");
        try (LoopDevice loop = LoopDevice.attach(root.resolve("pv.img"), 64 << 20)) {
            StoragePools pools = new StorageFixture(root, new LogicalPoolBackend()).pools();
            PoolRef pool = pools.definePool("<pool type='logical'><name>lvm</name><source><device path='"
                + loop.path() + "'/><name>" + VG + "</name></source></pool>", 0);
            try {
                pools.buildPool(pool, 0);
                pools.startPool(pool, 0);
                assertTrue(pools.poolInfo(pool).capacity() > 32 << 20);
                assertEquals(List.of(), pools.listAllVolumes(pool, 0));
                createVolumeWorksOrFailsCleanly(pools, pool);
                pools.refreshPool(pool, 0);
                assertTrue(pools.isPoolActive(pool));
                pools.destroyPool(pool);
                pools.deletePool(pool, 0);
                assertFalse(LvmReport.hasGroup(HostCommand.run(LvmArgv.groups()), VG));
            } finally {
                cleanUp(loop.path());
            }
        }
    }

    /**
     * virConnectFindStoragePoolSources for logical pools: a group on two loop devices is listed with both, in
     * libvirt's XML (other groups of the host may be listed too); libvirt's flag and pool type errors.
     */
    @Test
    void findPoolSourcesListsTheVolumeGroupWithItsPhysicalVolumes() throws Exception {
        Prerequisite.require(LoopDevice.NEEDS, LoopDevice.usable());
        Prerequisite.requirePrograms("vgcreate", "pvs");
        String group = "jvirtdsourcesvg";
        try (LoopDevice first = LoopDevice.attach(root.resolve("pv1.img"), 16 << 20);
             LoopDevice second = LoopDevice.attach(root.resolve("pv2.img"), 16 << 20)) {
            StoragePools pools = new StorageFixture(root, new LogicalPoolBackend()).pools();
            assertFalse(pools.findPoolSources("logical", null, 0).contains("<name>" + group + "</name>"));
            HostCommand.run(List.of("pvcreate", "-q", first.path(), second.path()));
            try {
                HostCommand.run(List.of("vgcreate", "-q", group, first.path(), second.path()));
                String xml = pools.findPoolSources("logical", null, 0);
                assertTrue(xml.startsWith("<sources>\n") && xml.endsWith("</sources>\n"), xml);
                assertTrue(xml.contains("  <source>\n    <device path='" + first.path() + "'/>\n    <device path='"
                    + second.path() + "'/>\n    <name>" + group + "</name>\n    <format type='lvm2'/>\n  </source>\n"),
                    xml);
                assertEquals(xml, pools.findPoolSources("logical", "<source><host name='ignored'/></source>", 0),
                    "the logical search ignores the source it is given");
                VirtException flags = assertThrows(VirtException.class, () -> pools.findPoolSources("logical", null, 1));
                assertEquals("unsupported flags (0x1) in function virStorageBackendLogicalFindPoolSources",
                    flags.getMessage());
                VirtException type = assertThrows(VirtException.class, () -> pools.findPoolSources("bogus", null, 0));
                assertEquals("internal error: unknown storage pool type bogus", type.getMessage());
            } finally {
                if (LvmReport.hasGroup(HostCommand.run(LvmArgv.groups()), group)) {
                    HostCommand.run(List.of("vgremove", "-f", group));
                }
                HostCommand.run(List.of("pvremove", "-ff", "-y", first.path(), second.path()));
            }
        }
    }

    @Test
    void pvsLinesBecomeOneSourcePerGroup() {
        assertEquals(List.of(new PoolSource(List.of(), List.of(new PoolSource.Device("/dev/sdb", null),
                new PoolSource.Device("/dev/sdd", null)), null, null, "vg0", null, "lvm2", null, null, null, null),
                new PoolSource(List.of(), List.of(new PoolSource.Device("/dev/sdc", null)), null, null, "vg1", null,
                    "lvm2", null, null, null, null)),
            LvmSources.parse("  /dev/sdb   vg0\n  /dev/sde       \n  /dev/sdc   vg1\n  /dev/sdd   vg0\n"));
    }

    private static void createVolumeWorksOrFailsCleanly(StoragePools pools, PoolRef pool) {
        String xml = "<volume><name>lv1</name><capacity unit='M'>8</capacity></volume>";
        if (deviceMapperAvailable()) {
            pools.deleteVolume(pools.createVolume(pool, xml, 0), 0);
            return;
        }
        VirtException e = assertThrows(VirtException.class, () -> pools.createVolume(pool, xml, 0));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("internal error: Child process (lvcreate --name lv1 -L 8192K " + VG
            + ") unexpected exit status"), e.getMessage());
        assertTrue(e.getMessage().contains("device-mapper"), e.getMessage());
        assertTrue(pools.isPoolActive(pool));
        assertEquals(List.of(), pools.listAllVolumes(pool, 0));
    }

    private static boolean deviceMapperAvailable() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/devices")).contains("device-mapper");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void cleanUp(String device) {
        if (LvmReport.hasGroup(HostCommand.run(LvmArgv.groups()), VG)) {
            HostCommand.run(List.of("vgremove", "-f", VG));
        }
        try {
            HostCommand.run(List.of("pvremove", "-ff", "-y", device));
        } catch (VirtException notAPhysicalVolume) {
            // already removed by the pool's delete
        }
    }
}
