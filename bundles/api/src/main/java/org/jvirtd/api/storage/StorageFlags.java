package org.jvirtd.api.storage;

import java.util.List;

/**
 * libvirt's storage flag and enum values: pool states, list filters, build/create/delete flags, volume
 * types, resize flags and wipe algorithms.
 */
public final class StorageFlags {
    /** virStoragePoolState. */
    public static final int POOL_INACTIVE = 0;
    public static final int POOL_BUILDING = 1;
    public static final int POOL_RUNNING = 2;
    public static final int POOL_DEGRADED = 3;
    public static final int POOL_INACCESSIBLE = 4;

    /** virConnectListAllStoragePoolsFlags; the type filters are {@code LIST_POOLS_TYPE_FIRST << ordinal}. */
    public static final int LIST_POOLS_INACTIVE = 1;
    public static final int LIST_POOLS_ACTIVE = 2;
    public static final int LIST_POOLS_PERSISTENT = 4;
    public static final int LIST_POOLS_TRANSIENT = 8;
    public static final int LIST_POOLS_AUTOSTART = 16;
    public static final int LIST_POOLS_NO_AUTOSTART = 32;
    /** Pool type filter bits in libvirt's order, from 1 << 6 on. */
    public static final List<String> LIST_POOLS_TYPES = List.of("dir", "fs", "netfs", "logical", "disk", "iscsi",
        "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage", "iscsi-direct");

    /** virStoragePoolBuildFlags. */
    public static final int BUILD_NEW = 0;
    public static final int BUILD_REPAIR = 1;
    public static final int BUILD_RESIZE = 2;
    public static final int BUILD_NO_OVERWRITE = 4;
    public static final int BUILD_OVERWRITE = 8;

    /** virStoragePoolCreateFlags. */
    public static final int CREATE_WITH_BUILD = 1;
    public static final int CREATE_WITH_BUILD_OVERWRITE = 2;
    public static final int CREATE_WITH_BUILD_NO_OVERWRITE = 4;

    /** virStoragePoolDeleteFlags and virStorageVolDeleteFlags. */
    public static final int DELETE_NORMAL = 0;
    public static final int DELETE_ZEROED = 1;

    /** virStoragePoolXMLFlags. */
    public static final int XML_INACTIVE = 1;

    /** virStorageVolCreateFlags. */
    public static final int VOL_CREATE_PREALLOC_METADATA = 1;
    public static final int VOL_CREATE_REFLINK = 2;

    /** virStorageVolType. */
    public static final int VOL_FILE = 0;
    public static final int VOL_BLOCK = 1;
    public static final int VOL_DIR = 2;
    public static final int VOL_NETWORK = 3;
    public static final int VOL_NETDIR = 4;
    public static final int VOL_PLOOP = 5;

    /** virStorageVolResizeFlags. */
    public static final int RESIZE_ALLOCATE = 1;
    public static final int RESIZE_DELTA = 2;
    public static final int RESIZE_SHRINK = 4;

    /** virStorageVolWipeAlgorithm. */
    public static final int WIPE_ZERO = 0;
    public static final int WIPE_NNSA = 1;
    public static final int WIPE_DOD = 2;
    public static final int WIPE_BSI = 3;
    public static final int WIPE_GUTMANN = 4;
    public static final int WIPE_SCHNEIER = 5;
    public static final int WIPE_PFITZNER7 = 6;
    public static final int WIPE_PFITZNER33 = 7;
    public static final int WIPE_RANDOM = 8;
    public static final int WIPE_TRIM = 9;

    /** virStorageVolUploadFlags / virStorageVolDownloadFlags. */
    public static final int STREAM_SPARSE = 1;

    private StorageFlags() {
    }

    /** The virStorageVolType number of a volume type name (file, block, dir, network, netdir, ploop). */
    public static int volumeType(String name) {
        return switch (name) {
            case "block" -> VOL_BLOCK;
            case "dir" -> VOL_DIR;
            case "network" -> VOL_NETWORK;
            case "netdir" -> VOL_NETDIR;
            case "ploop" -> VOL_PLOOP;
            default -> VOL_FILE;
        };
    }

    /** The list filter bit of a pool type, 0 for a type libvirt has no bit for. */
    public static int listTypeBit(String type) {
        int index = LIST_POOLS_TYPES.indexOf(type);
        return index < 0 ? 0 : 1 << (6 + index);
    }
}
