package org.jvirtd.api.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage pool type (dir, fs, logical, netfs, disk, ...). Registered with {@link #PROPERTY} set to
 * {@link #type()}. Every operation defaults to "not supported", like an empty slot in libvirt's
 * storage backend table. Core calls one pool's operations one at a time, volume jobs aside.
 */
@ConsumerType
public interface PoolBackend {
    String PROPERTY = "jvirtd.storage.type";

    String type();

    /** Prepares the pool's storage (mkdir, mkfs, vgcreate, mklabel) with VIR_STORAGE_POOL_BUILD_* flags. */
    default void build(PoolHandle pool, int flags) {
        throw VirtErrors.noSupport("virStoragePoolBuild");
    }

    /**
     * virConnectFindStoragePoolSources for this type: the {@code <sources>} document of the pools this host
     * could define, looked for where {@code sourceSpec} (a {@code <source>} document, may be null) says.
     */
    default String findPoolSources(String sourceSpec, int flags) {
        throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.STORAGE, "pool type '" + type() + "' does not support source discovery");
    }

    /** Whether the pool is up on the host already (a mount in place, an active VG): core reattaches to it. */
    default boolean isActive(PoolHandle pool) {
        return false;
    }

    default void start(PoolHandle pool) {
    }

    default void stop(PoolHandle pool) {
    }

    /** The pool's sizes and volumes as they are on the host now. */
    PoolContents refresh(PoolHandle pool);

    /**
     * The pool's sizes and volumes after a volume job (create, clone, delete, resize, wipe, upload), given the
     * volumes known before it and the one it made. libvirt shows a volume's layout (format, compat, features)
     * as its definition or the last pool refresh gave it until the pool is refreshed again; a backend that
     * reads layouts from image headers keeps the known ones here. By default, a full {@link #refresh}.
     */
    default PoolContents refreshAfterJob(PoolHandle pool, List<VolumeInfo> known) {
        return refresh(pool);
    }

    /**
     * A volume as it is now (sizes, owner, times; its layout as known), as libvirt re-reads a volume for each
     * vol-info and vol-dumpxml. By default, the volume as the last refresh listed it.
     */
    default VolumeInfo refreshVolume(PoolHandle pool, VolumeInfo volume) {
        return volume;
    }

    default void delete(PoolHandle pool, int flags) {
        throw VirtErrors.noSupport("virStoragePoolDelete");
    }

    /** Creates a volume from its XML with VIR_STORAGE_VOL_CREATE_* flags. */
    default VolumeInfo createVolume(PoolHandle pool, String volumeXml, int flags) {
        throw VirtErrors.noSupport("virStorageVolCreateXML");
    }

    /** Creates a volume from its XML as a copy of {@code source}, which may sit in another pool. */
    default VolumeInfo cloneVolume(PoolHandle pool, String volumeXml, VolumeInfo source, int flags,
                                   ProgressListener progress) {
        throw VirtErrors.noSupport("virStorageVolCreateXMLFrom");
    }

    default void deleteVolume(PoolHandle pool, VolumeInfo volume, int flags) {
        throw VirtErrors.noSupport("virStorageVolDelete");
    }

    /** Sets the capacity in bytes (core has already applied the DELTA flag and checked SHRINK). */
    default void resizeVolume(PoolHandle pool, VolumeInfo volume, long capacity, int flags) {
        throw VirtErrors.noSupport("virStorageVolResize");
    }

    /** Overwrites the volume's data with a VIR_STORAGE_VOL_WIPE_ALG_* pattern. */
    default void wipeVolume(PoolHandle pool, VolumeInfo volume, int algorithm, ProgressListener progress) {
        throw VirtErrors.noSupport("virStorageVolWipePattern");
    }

    /**
     * Opens the volume's bytes for vol-upload (write) or vol-download (read). The default opens the volume's
     * path, which suits file and block volumes.
     */
    default SeekableByteChannel openVolume(PoolHandle pool, VolumeInfo volume, boolean write) throws IOException {
        return FileChannel.open(Path.of(volume.path()), write ? StandardOpenOption.WRITE : StandardOpenOption.READ);
    }
}
