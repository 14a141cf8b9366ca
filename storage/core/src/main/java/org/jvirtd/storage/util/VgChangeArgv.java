package org.jvirtd.storage.util;

import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolType;

/**
 * The vgchange command line that activates or deactivates a logical pool's volume group, a pure function of
 * the pool definition (libvirt's virStorageBackendLogicalChangeCmd).
 */
public final class VgChangeArgv {
    private VgChangeArgv() {
    }

    public static List<String> change(PoolDef pool, boolean activate) {
        if (pool.type() != PoolType.LOGICAL) {
            throw StorageErrors.invalid("storage pool type " + pool.type().xmlName() + " has no vgchange command");
        }
        return List.of("vgchange", activate ? "-aly" : "-aln", pool.source().name());
    }
}
