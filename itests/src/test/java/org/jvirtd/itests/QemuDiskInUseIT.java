package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeRef;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * qcow2 volumes with a raw backing file, made by the dir pool, as the disks of the tiny guest under the
 * real QEMU driver in Felix: the guest reads the backing file's partition table through both overlays
 * (one cold-plugged, one hot-plugged), and neither volume is deleted while the guest runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class QemuDiskInUseIT extends QemuTestSupport {
    private static final long SECTOR = 512;

    @Test
    public void backedQcow2DisksServeTheGuestAndAreNotDeletedWhileItRuns() throws Exception {
        Path guest = tinyGuest();
        StoragePools pools = service(StoragePools.class);
        Path dir = Files.createTempDirectory("jvirtd-qemu-pool");
        PoolRef pool = pools.definePool("<pool type='dir'><name>qpool</name><target><path>" + dir
            + "</path></target></pool>", 0);
        pools.startPool(pool, 0);
        VolumeRef base = pools.createVolume(pool, "<volume><name>base.img</name><capacity unit='M'>16</capacity>"
            + "<target><format type='raw'/></target></volume>", 0);
        writePartitionTable(Path.of(pools.volumePath(base)));
        VolumeRef boot = overlay(pools, pool, base, "boot.qcow2", 16);
        VolumeRef extra = overlay(pools, pool, base, "extra.qcow2", 24);
        Path console = dir.resolve("console.log");

        try (Connection c = service(Hypervisors.class).open(URI.create("qemu:///system"), false)) {
            DomainRef vm = c.create(c.define(domainXml(guest, console, pools.volumePath(boot)), 0), 0);
            eventually("the guest sees the boot overlay's 16 MiB and the backing file's partition", 60_000,
                () -> read(console).contains("[vda] 32768 512-byte logical blocks") && read(console).contains("vda: vda1"));
            c.attachDevice(vm, disk(pools.volumePath(extra), "vdb"), 0);
            eventually("the guest sees the hot-plugged 24 MiB overlay and its partition", 30_000,
                () -> read(console).contains("[vdb] 49152 512-byte logical blocks") && read(console).contains("vdb: vdb1"));

            refusedWhileRunning(pools, boot);
            refusedWhileRunning(pools, extra);
            c.destroy(vm, 0);
        }
        pools.deleteVolume(boot, 0);
        pools.deleteVolume(extra, 0);
        assertFalse(Files.exists(dir.resolve("boot.qcow2")));
        pools.deleteVolume(base, 0);
        Files.delete(console);
        pools.destroyPool(pool);
        pools.deletePool(pool, 0);
        assertFalse(Files.exists(dir));
    }

    private static VolumeRef overlay(StoragePools pools, PoolRef pool, VolumeRef base, String name, int mib) {
        return pools.createVolume(pool, "<volume><name>" + name + "</name><capacity unit='M'>" + mib
            + "</capacity><target><format type='qcow2'/></target><backingStore><path>" + pools.volumePath(base)
            + "</path><format type='raw'/></backingStore></volume>", 0);
    }

    private static void refusedWhileRunning(StoragePools pools, VolumeRef volume) {
        try {
            pools.deleteVolume(volume, 0);
            fail("deleted " + volume.name() + " from under a running guest");
        } catch (VirtException e) {
            assertEquals(ErrorCode.OPERATION_INVALID, e.code());
            assertEquals("Requested operation is not valid: cannot delete storage volume '" + volume.name()
                + "': it is in use by running domain 'qdisk'", e.getMessage());
        }
        assertTrue(Files.exists(Path.of(pools.volumePath(volume))));
    }

    /** An MBR with one Linux partition from sector 2048 on: data only the backing file holds. */
    private static void writePartitionTable(Path raw) throws IOException {
        byte[] mbr = new byte[(int) SECTOR];
        int entry = 446;
        mbr[entry + 4] = (byte) 0x83;
        putLittleEndian(mbr, entry + 8, 2048);
        putLittleEndian(mbr, entry + 12, 8192);
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xaa;
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.write(mbr);
        }
    }

    private static void putLittleEndian(byte[] bytes, int at, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static String disk(String path, String target) {
        return "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + path
            + "'/><target dev='" + target + "' bus='virtio'/></disk>";
    }

    private static String domainXml(Path guest, Path console, String bootDisk) {
        return "<domain type='qemu'><name>qdisk</name><memory unit='MiB'>128</memory><vcpu>1</vcpu><os>"
            + "<type arch='x86_64' machine='pc'>hvm</type><kernel>" + guest.resolve("vmlinuz") + "</kernel><initrd>"
            + guest.resolve("initrd.img") + "</initrd><cmdline>console=ttyS0 fixture.net=off</cmdline></os>"
            + "<features><acpi/></features><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
            + disk(bootDisk, "vda") + "<serial type='file'><source path='" + console + "' append='on'/>"
            + "<target port='0'/></serial><memballoon model='none'/></devices></domain>";
    }
}
