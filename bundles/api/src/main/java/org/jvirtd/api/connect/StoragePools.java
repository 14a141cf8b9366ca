package org.jvirtd.api.connect;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;

import org.jvirtd.api.storage.PoolEventListener;
import org.jvirtd.api.storage.PoolInfo;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's storage pool and volume API (what virsh's pool-* and vol-* commands call). Flags and enum
 * values are libvirt's ({@link org.jvirtd.api.storage.StorageFlags}); every failure is a
 * {@link org.jvirtd.api.VirtException} with libvirt's code and wording.
 */
@ProviderType
public interface StoragePools {
    /** virConnectListAllStoragePools with VIR_CONNECT_LIST_STORAGE_POOLS_* filters (0: all). */
    List<PoolRef> listAllPools(int flags);

    PoolRef lookupPoolByName(String name);

    PoolRef lookupPoolByUuid(UUID uuid);

    PoolRef lookupPoolByVolume(VolumeRef volume);

    /** virStoragePoolLookupByTargetPath: the active pool whose target is {@code path} (cleaned of extra slashes). */
    default PoolRef lookupPoolByTargetPath(String path) {
        throw org.jvirtd.api.VirtErrors.noSupport(
            "virStoragePoolLookupByTargetPath");
    }

    /** virConnectGetStoragePoolCapabilities: the {@code <storagepoolCapabilities>} document. */
    default String poolCapabilities(int flags) {
        throw org.jvirtd.api.VirtErrors.noSupport(
            "virConnectGetStoragePoolCapabilities");
    }

    /**
     * virConnectFindStoragePoolSources: the {@code <sources>} of pools of {@code type} found on this host (or
     * on the host that {@code sourceSpec}'s {@code <source>} names).
     */
    default String findPoolSources(String type, String sourceSpec, int flags) {
        throw org.jvirtd.api.VirtErrors.noSupport("virConnectFindStoragePoolSources");
    }

    /** virStoragePoolDefineXML: defines or redefines a persistent pool. */
    PoolRef definePool(String xml, int flags);

    void undefinePool(PoolRef pool);

    /** virStoragePoolCreateXML: creates and starts a transient pool (VIR_STORAGE_POOL_CREATE_* flags). */
    PoolRef createPool(String xml, int flags);

    void buildPool(PoolRef pool, int flags);

    /** virStoragePoolCreate: starts a defined pool (VIR_STORAGE_POOL_CREATE_* flags). */
    void startPool(PoolRef pool, int flags);

    /** virStoragePoolDestroy: stops an active pool; a transient one disappears. */
    void destroyPool(PoolRef pool);

    /** virStoragePoolDelete: removes the pool's storage from the host (VIR_STORAGE_POOL_DELETE_*). */
    void deletePool(PoolRef pool, int flags);

    void refreshPool(PoolRef pool, int flags);

    boolean poolAutostart(PoolRef pool);

    void setPoolAutostart(PoolRef pool, boolean autostart);

    PoolInfo poolInfo(PoolRef pool);

    /** virStoragePoolGetXMLDesc (VIR_STORAGE_XML_INACTIVE: the persistent definition). */
    String poolXml(PoolRef pool, int flags);

    boolean isPoolActive(PoolRef pool);

    boolean isPoolPersistent(PoolRef pool);

    /** virStoragePoolListAllVolumes, sorted by name. */
    List<VolumeRef> listAllVolumes(PoolRef pool, int flags);

    VolumeRef lookupVolumeByName(PoolRef pool, String name);

    VolumeRef lookupVolumeByKey(String key);

    VolumeRef lookupVolumeByPath(String path);

    /** virStorageVolCreateXML (VIR_STORAGE_VOL_CREATE_* flags). */
    VolumeRef createVolume(PoolRef pool, String xml, int flags);

    /** virStorageVolCreateXMLFrom: a new volume in {@code pool} holding a copy of {@code source}. */
    VolumeRef createVolumeFrom(PoolRef pool, String xml, VolumeRef source, int flags, ProgressListener progress);

    void deleteVolume(VolumeRef volume, int flags);

    /** virStorageVolResize with VIR_STORAGE_VOL_RESIZE_* flags; capacity in bytes. */
    void resizeVolume(VolumeRef volume, long capacity, int flags);

    /** virStorageVolWipePattern with a VIR_STORAGE_VOL_WIPE_ALG_* algorithm. */
    void wipeVolume(VolumeRef volume, int algorithm, int flags, ProgressListener progress);

    VolumeInfo volumeInfo(VolumeRef volume);

    String volumeXml(VolumeRef volume, int flags);

    String volumePath(VolumeRef volume);

    /**
     * virStorageVolUpload: a channel that writes the volume's bytes from {@code offset}; at most
     * {@code length} bytes (0: up to the end of the data). Closing it ends the upload and refreshes the
     * volume; the volume counts as in use until then. With {@link
     * org.jvirtd.api.storage.StorageFlags#STREAM_SPARSE} the channel is a {@link
     * java.nio.channels.SeekableByteChannel} whose position may move forward over a hole, leaving those
     * bytes unwritten; a hole at the end still extends a volume that is shorter.
     */
    WritableByteChannel upload(VolumeRef volume, long offset, long length, int flags);

    /**
     * virStorageVolDownload: a channel that reads the volume's bytes from {@code offset}, at most
     * {@code length} bytes (0: to the end of the volume). The volume counts as in use until it is closed.
     * With {@link org.jvirtd.api.storage.StorageFlags#STREAM_SPARSE} the caller may send the volume's
     * zeros as holes; the channel is the same.
     */
    ReadableByteChannel download(VolumeRef volume, long offset, long length, int flags);

    /** Delivers pool lifecycle and refresh events until the returned handle is closed. */
    AutoCloseable subscribe(PoolEventListener listener);
}
