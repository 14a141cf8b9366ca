package org.jvirtd.storage.logical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeXml;
import org.junit.jupiter.api.Test;

/**
 * The LVM command lines of a logical pool and how vgs/lvs output is read back.
 */
class LvmArgvTest {
    private static final PoolDef POOL = PoolXml.parse("<pool type='logical'><name>HostVG</name><source>"
        + "<device path='/dev/sda1'/><device path='/dev/sdb1'/><name>HostVG</name></source>"
        + "<target><path>/dev/HostVG</path></target></pool>");

    @Test
    void buildMakesEachDeviceAPhysicalVolumeThenTheGroup() {
        assertEquals(List.of(List.of("pvcreate", "/dev/sda1"), List.of("pvcreate", "/dev/sdb1"),
            List.of("vgcreate", "HostVG", "/dev/sda1", "/dev/sdb1")), LvmArgv.build(POOL));
        assertEquals(List.of(List.of("vgremove", "-f", "HostVG"), List.of("pvremove", "/dev/sda1"),
            List.of("pvremove", "/dev/sdb1")), LvmArgv.delete(POOL));
    }

    @Test
    void fullyAllocatedVolumeIsPlainSparseOneIsThinAndBackedOneIsASnapshot() {
        assertEquals(List.of("lvcreate", "--name", "Swap", "-L", "2031616K", "HostVG"), LvmArgv.createVolume(POOL,
            VolumeXml.parse(POOL, "<volume><name>Swap</name><capacity>2080374784</capacity></volume>")));
        assertEquals(List.of("lvcreate", "--name", "thin", "-L", "1024K", "--virtualsize", "1048576K", "HostVG"),
            LvmArgv.createVolume(POOL, VolumeXml.parse(POOL, "<volume><name>thin</name><capacity unit='G'>1</capacity>"
                + "<allocation unit='M'>1</allocation></volume>")));
        assertEquals(List.of("lvcreate", "--name", "snap", "-L", "4K", "-s", "/dev/HostVG/base"),
            LvmArgv.createVolume(POOL, VolumeXml.parse(POOL, "<volume><name>snap</name><capacity>4096</capacity>"
                + "<backingStore><path>/dev/HostVG/base</path></backingStore></volume>")));
        assertEquals(List.of("lvremove", "-f", "HostVG/Swap"), LvmArgv.deleteVolume(POOL, "Swap"));
    }

    @Test
    void reportGivesSizesAndBlockVolumes() {
        var contents = LvmReport.contents(POOL, "  62914560#54525952\n", "  data#AbC-123#8388608\n");
        assertEquals(62914560L, contents.capacity());
        assertEquals(8388608L, contents.allocation());
        assertEquals("/dev/HostVG/data", contents.volumes().get(0).path());
        assertEquals("AbC-123", contents.volumes().get(0).key());
        assertEquals(true, LvmReport.hasGroup("  other\n  HostVG\n", "HostVG"));
    }
}
