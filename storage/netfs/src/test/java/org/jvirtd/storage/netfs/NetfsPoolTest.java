package org.jvirtd.storage.netfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.model.storage.PoolSourceListXml;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.jvirtd.storage.util.MountArgv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A netfs pool mounts its export on its target; a start that cannot happen leaves the pool inactive.
 * (No NFS server can run here: the kernel has no nfsd, so no mount of a real export is tested.)
 */
class NetfsPoolTest {
    private static String pool(Path target) {
        return "<pool type='netfs'><name>nfs</name><source><host name='nfs.example'/><dir path='/export'/>"
            + "<format type='nfs'/><protocol ver='4.1'/></source><target><path>" + target + "</path></target></pool>";
    }

    @TempDir
    Path root;

    @Test
    void mountCommandNamesHostExportAndTarget() {
        assertEquals(List.of("mount", "-o", "nodev,nosuid,noexec,nfsvers=4.1", "-t", "nfs", "nfs.example:/export",
            "/mnt/nfs"), MountArgv.mount(PoolXml.parse(pool(Path.of("/mnt/nfs")))));
    }

    @Test
    void startWithoutTargetDirectoryFailsAndLeavesPoolInactive() {
        StoragePools pools = new StorageFixture(root, new NetfsPoolBackend()).pools();
        Path target = root.resolve("mnt");
        PoolRef ref = pools.definePool(pool(target), 0);
        VirtException e = assertThrows(VirtException.class, () -> pools.startPool(ref, 0));
        assertEquals("cannot open directory '" + target + "': No such file or directory", e.getMessage());
        assertFalse(pools.isPoolActive(ref));
    }

    /**
     * virConnectFindStoragePoolSources for netfs: libvirt 9.0's errors without a host, with two hosts and with a
     * host that has no NFS server (this one: showmount fails), and the reading of showmount's export lines.
     */
    @Test
    void findPoolSourcesNeedsOneHostAndAsksItsNfsServer() {
        StoragePools pools = new StorageFixture(root, new NetfsPoolBackend()).pools();
        assertEquals("invalid argument: hostname must be specified for netfs sources",
            assertThrows(VirtException.class, () -> pools.findPoolSources("netfs", null, 0)).getMessage());
        assertEquals("unsupported configuration: Expected exactly 1 host for the storage pool",
            assertThrows(VirtException.class, () -> pools.findPoolSources("netfs",
                "<source><host name='a'/><host name='b'/></source>", 0)).getMessage());
        assertEquals("unsupported configuration: Expected exactly 1 host for the storage pool",
            assertThrows(VirtException.class, () -> pools.findPoolSources("netfs", "<source/>", 0)).getMessage());
        assertEquals("operation failed: no storage pools were found on host '127.0.0.1'",
            assertThrows(VirtException.class, () -> pools.findPoolSources("netfs",
                "<source><host name='127.0.0.1'/></source>", 0)).getMessage());
        assertEquals("<sources>\n  <source>\n    <host name='nfs.example'/>\n    <dir path='/srv/my export'/>\n"
                + "    <format type='nfs'/>\n  </source>\n  <source>\n    <host name='nfs.example'/>\n"
                + "    <dir path='/home'/>\n    <format type='nfs'/>\n  </source>\n</sources>\n",
            PoolSourceListXml.format(PoolType.NETFS, NfsExports.parse("nfs.example",
                "/srv/my export 10.0.0.0/8\n/home          *\n")));
    }
}
