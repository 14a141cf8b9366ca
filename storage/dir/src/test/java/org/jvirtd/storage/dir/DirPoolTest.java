package org.jvirtd.storage.dir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.storage.core.internal.CoreStoragePools;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dir pool through the real storage driver: lifecycle, persistence across a restart, events, and
 * volumes made by qemu-img and by plain file I/O.
 */
class DirPoolTest {
    @TempDir
    Path root;
    private StorageFixture fixture;
    private CoreStoragePools pools;
    private Path target;

    @BeforeEach
    void definePool() {
        fixture = new StorageFixture(root, new DirPoolBackend());
        pools = fixture.pools();
        target = root.resolve("images");
    }

    private PoolRef startedPool() {
        PoolRef pool = pools.definePool(StorageFixture.dirPool("images", target), 0);
        pools.buildPool(pool, 0);
        pools.startPool(pool, 0);
        return pool;
    }

    @Test
    void definedAutostartedPoolIsPersistedAndComesBackActiveAfterRestart() throws IOException {
        List<PoolEvent.Type> events = new ArrayList<>();
        pools.subscribe(e -> events.add(e.type()));
        PoolRef pool = startedPool();
        pools.setPoolAutostart(pool, true);
        assertTrue(Files.isDirectory(target));
        assertTrue(Files.readString(fixture.configDir().resolve("images.xml")).contains("<path>" + target + "</path>"));
        assertTrue(Files.isSymbolicLink(fixture.configDir().resolve("autostart/images.xml")));
        assertTrue(Files.exists(fixture.runDir().resolve("images.xml")));
        assertEquals(List.of(PoolEvent.Type.DEFINED, PoolEvent.Type.CREATED, PoolEvent.Type.STARTED), events);

        CoreStoragePools again = fixture.restart();
        PoolRef found = again.lookupPoolByName("images");
        assertEquals(pool.uuid(), found.uuid());
        assertTrue(again.isPoolActive(found));
        assertTrue(again.poolAutostart(found));
        assertEquals(StorageFlags.POOL_RUNNING, again.poolInfo(found).state());
    }

    @Test
    void stoppedPoolForgetsItsStatusAndUndefineRemovesItsFiles() {
        PoolRef pool = startedPool();
        pools.setPoolAutostart(pool, true);
        VirtException active = assertThrows(VirtException.class, () -> pools.undefinePool(pool));
        assertEquals("Requested operation is not valid: storage pool 'images' is still active", active.getMessage());
        pools.destroyPool(pool);
        assertFalse(Files.exists(fixture.runDir().resolve("images.xml")));
        pools.deletePool(pool, 0);
        assertFalse(Files.exists(target));
        pools.undefinePool(pool);
        assertFalse(Files.exists(fixture.configDir().resolve("images.xml")));
        assertFalse(Files.exists(fixture.configDir().resolve("autostart/images.xml")));
        VirtException gone = assertThrows(VirtException.class, () -> pools.lookupPoolByName("images"));
        assertEquals(ErrorCode.NO_STORAGE_POOL, gone.code());
        assertEquals("Storage pool not found: no storage pool with matching name 'images'", gone.getMessage());
    }

    @Test
    void listFiltersByStatePersistenceAndType() {
        PoolRef pool = startedPool();
        pools.definePool(StorageFixture.dirPool("other", root.resolve("other")), 0);
        assertEquals(List.of("images"), names(pools.listAllPools(StorageFlags.LIST_POOLS_ACTIVE)));
        assertEquals(List.of("other"), names(pools.listAllPools(StorageFlags.LIST_POOLS_INACTIVE)));
        assertEquals(List.of("images", "other"), names(pools.listAllPools(StorageFlags.listTypeBit("dir"))));
        assertEquals(List.of(), names(pools.listAllPools(StorageFlags.listTypeBit("logical"))));
        assertTrue(pools.isPoolPersistent(pool));
    }

    private static List<String> names(List<PoolRef> refs) {
        return refs.stream().map(PoolRef::name).toList();
    }

    @Test
    void refreshFindsVolumesCreatedOutsideJvirtd() throws IOException {
        PoolRef pool = startedPool();
        run("qemu-img", "create", "-q", "-f", "qcow2", target.resolve("outside.qcow2").toString(), "64M");
        Files.write(target.resolve("outside.raw"), new byte[4096]);
        assertEquals(List.of(), pools.listAllVolumes(pool, 0));
        pools.refreshPool(pool, 0);
        assertEquals(List.of("outside.qcow2", "outside.raw"),
            pools.listAllVolumes(pool, 0).stream().map(VolumeRef::name).toList());
        VolumeRef qcow2 = pools.lookupVolumeByPath(target.resolve("outside.qcow2").toString());
        assertEquals(64L << 20, pools.volumeInfo(qcow2).capacity());
        assertTrue(pools.volumeXml(qcow2, 0).contains("<format type='qcow2'/>"));
        assertEquals(qcow2, pools.lookupVolumeByKey(target.resolve("outside.qcow2").toString()));
    }

    @Test
    void qcow2VolumeWithBackingFileIsMadeByQemuImg() throws IOException {
        PoolRef pool = startedPool();
        VolumeRef base = pools.createVolume(pool, StorageFixture.volume("base.img", 32 << 20, "raw"), 0);
        String overlay = "<volume><name>overlay.qcow2</name><capacity unit='M'>32</capacity>"
            + "<target><format type='qcow2'/><compat>1.1</compat><features><lazy_refcounts/></features></target>"
            + "<backingStore><path>" + pools.volumePath(base) + "</path><format type='raw'/></backingStore></volume>";
        VolumeRef vol = pools.createVolume(pool, overlay, 0);
        String info = run("qemu-img", "info", "--output=json", pools.volumePath(vol));
        assertTrue(info.contains("\"backing-filename\": \"" + pools.volumePath(base) + "\""), info);
        assertTrue(info.contains("\"backing-filename-format\": \"raw\""), info);
        assertTrue(info.contains("\"lazy-refcounts\": true"), info);
        String xml = pools.volumeXml(vol, 0);
        assertTrue(xml.contains("<backingStore>\n    <path>" + pools.volumePath(base) + "</path>"), xml);
        assertTrue(xml.contains("<compat>1.1</compat>"), xml);
    }

    @Test
    void cloneResizeWipeAndDeleteReportProgressAndKeepTheListRight() throws IOException {
        PoolRef pool = startedPool();
        VolumeRef source = pools.createVolume(pool, StorageFixture.volume("source.img", 8 << 20, "raw"), 0);
        Files.write(Path.of(pools.volumePath(source)), "hello".getBytes(), StandardOpenOption.WRITE);
        List<Long> progress = new ArrayList<>();
        VolumeRef copy = pools.createVolumeFrom(pool, StorageFixture.volume("copy.qcow2", 0, "qcow2"), source, 0,
            (done, total) -> progress.add(done * 100 / total));
        assertTrue(run("qemu-img", "info", pools.volumePath(copy)).contains("file format: qcow2"));
        assertEquals(100L, progress.get(progress.size() - 1));
        VolumeRef raw = pools.createVolumeFrom(pool, StorageFixture.volume("copy.img", 0, "raw"), source, 0, null);
        assertEquals("hello", new String(Files.readAllBytes(Path.of(pools.volumePath(raw))), 0, 5));

        pools.resizeVolume(raw, 16 << 20, 0);
        assertEquals(16L << 20, pools.volumeInfo(raw).capacity());
        VirtException noShrink = assertThrows(VirtException.class, () -> pools.resizeVolume(raw, 1 << 20, 0));
        assertEquals(ErrorCode.INVALID_ARG, noShrink.code());
        pools.resizeVolume(copy, 4 << 20, StorageFlags.RESIZE_DELTA);
        assertEquals(12L << 20, pools.volumeInfo(copy).capacity());

        progress.clear();
        pools.wipeVolume(raw, StorageFlags.WIPE_ZERO, 0, (done, total) -> progress.add(done * 100 / total));
        assertEquals(0, Files.readAllBytes(Path.of(pools.volumePath(raw)))[0]);
        assertEquals(100L, progress.get(progress.size() - 1));

        pools.deleteVolume(raw, 0);
        assertEquals(List.of("copy.qcow2", "source.img"),
            pools.listAllVolumes(pool, 0).stream().map(VolumeRef::name).toList());
        VirtException gone = assertThrows(VirtException.class, () -> pools.lookupVolumeByName(pool, "copy.img"));
        assertEquals("Storage volume not found: no storage vol with matching name 'copy.img'", gone.getMessage());
    }

    static String run(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            assertEquals(0, p.waitFor(), out);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }
}
