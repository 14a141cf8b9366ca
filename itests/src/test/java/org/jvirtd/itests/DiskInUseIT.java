package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

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
 * Storage and domains together in Felix: a volume that is the disk of a running guest is neither
 * deleted nor wiped from under it; once the guest stops it can be.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DiskInUseIT extends JvirtdTestSupport {
    @Test
    public void volumeOfARunningGuestIsNotDeletedFromUnderIt() throws Exception {
        StoragePools pools = service(StoragePools.class);
        Path dir = Files.createTempDirectory("jvirtd-pool");
        PoolRef pool = pools.definePool("<pool type='dir'><name>itpool</name><target><path>" + dir
            + "</path></target></pool>", 0);
        pools.startPool(pool, 0);
        VolumeRef volume = pools.createVolume(pool,
            "<volume><name>disk.img</name><capacity unit='M'>1</capacity></volume>", 0);
        Path file = Path.of(pools.volumePath(volume));
        assertTrue(Files.exists(file));

        try (Connection c = service(Hypervisors.class).open(URI.create("test:///default"), false)) {
            DomainRef vm = c.create(c.define("<domain type='test'><name>diskvm</name><memory unit='MiB'>64</memory>"
                + "<os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='" + file
                + "'/><target dev='vda' bus='virtio'/></disk></devices></domain>", 0), 0);
            try {
                pools.deleteVolume(volume, 0);
                fail("deleted the disk of a running guest");
            } catch (VirtException e) {
                assertEquals(ErrorCode.OPERATION_INVALID, e.code());
                assertEquals("Requested operation is not valid: cannot delete storage volume 'disk.img': it is in use "
                    + "by running domain 'diskvm'", e.getMessage());
            }
            assertTrue("the volume is still there", Files.exists(file));
            c.destroy(vm, 0);
        }
        pools.deleteVolume(volume, 0);
        assertFalse(Files.exists(file));
    }
}
