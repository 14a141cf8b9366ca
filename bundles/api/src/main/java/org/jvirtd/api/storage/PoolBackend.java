package org.jvirtd.api.storage;

import java.util.List;

import org.jvirtd.api.VirtErrors;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage pool type (dir, fs, logical, netfs, disk, ...). Registered with {@link #PROPERTY} set to
 * {@link #type()}. Every operation defaults to "not supported", like an empty slot in libvirt's
 * storage backend table.
 */
@ConsumerType
public interface PoolBackend {
    String PROPERTY = "jvirtd.storage.type";

    String type();

    default void build(PoolHandle pool, int flags) {
        throw VirtErrors.noSupport("virStoragePoolBuild");
    }

    default void start(PoolHandle pool) {
    }

    default void stop(PoolHandle pool) {
    }

    /** Lists the pool's volumes as they are on the host now. */
    List<VolumeInfo> refresh(PoolHandle pool);

    default void delete(PoolHandle pool, int flags) {
        throw VirtErrors.noSupport("virStoragePoolDelete");
    }

    default VolumeInfo createVolume(PoolHandle pool, String volumeXml, int flags) {
        throw VirtErrors.noSupport("virStorageVolCreateXML");
    }

    default VolumeInfo cloneVolume(PoolHandle pool, String volumeXml, VolumeInfo source, int flags,
                                   ProgressListener progress) {
        throw VirtErrors.noSupport("virStorageVolCreateXMLFrom");
    }

    default void deleteVolume(PoolHandle pool, VolumeInfo volume, int flags) {
        throw VirtErrors.noSupport("virStorageVolDelete");
    }

    default void resizeVolume(PoolHandle pool, VolumeInfo volume, long capacity, int flags) {
        throw VirtErrors.noSupport("virStorageVolResize");
    }

    default void wipeVolume(PoolHandle pool, VolumeInfo volume, int algorithm, ProgressListener progress) {
        throw VirtErrors.noSupport("virStorageVolWipePattern");
    }
}
