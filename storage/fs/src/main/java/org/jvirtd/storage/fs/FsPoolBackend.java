package org.jvirtd.storage.fs;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.storage.util.HostCommand;
import org.jvirtd.storage.util.MountedPoolBackend;
import org.jvirtd.storage.util.PoolDirectory;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type fs: a block device (or image file) holding a file system, mounted on the pool's target.
 * Building makes the target and, with OVERWRITE or NO_OVERWRITE, the file system.
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=fs")
public final class FsPoolBackend extends MountedPoolBackend {
    @Override
    public String type() {
        return "fs";
    }

    @Override
    public void build(PoolHandle pool, int flags) {
        PoolDef def = definition(pool);
        PoolDirectory.build(def, flags);
        if ((flags & StorageFlags.BUILD_NO_OVERWRITE) != 0) {
            String existing = existingFormat(def);
            if (!existing.isEmpty()) {
                throw new VirtException(ErrorCode.STORAGE_POOL_BUILT, ErrorDomain.STORAGE,
                    "Device '" + def.source().devices().get(0).path() + "' is already formatted using '" + existing
                        + "'");
            }
        }
        if ((flags & (StorageFlags.BUILD_OVERWRITE | StorageFlags.BUILD_NO_OVERWRITE)) != 0) {
            HostCommand.run(MkfsArgv.mkfs(def));
        }
    }

    private static String existingFormat(PoolDef def) {
        try {
            return HostCommand.run(MkfsArgv.probe(def)).strip();
        } catch (VirtException nothingFound) {
            return "";
        }
    }
}
