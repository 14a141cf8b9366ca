package org.jvirtd.storage.logical;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.StorageErrors;

/**
 * Reads what vgs and lvs print (see {@link LvmArgv}) into a logical pool's sizes and volumes.
 */
final class LvmReport {
    private LvmReport() {
    }

    static boolean hasGroup(String vgsOutput, String name) {
        return vgsOutput.lines().map(String::strip).anyMatch(name::equals);
    }

    static PoolContents contents(PoolDef pool, String vgsOutput, String lvsOutput) {
        String[] sizes = vgsOutput.strip().split(LvmArgv.SEPARATOR);
        if (sizes.length < 2) {
            throw StorageErrors.internal("cannot parse vgs output '" + vgsOutput.strip() + "'");
        }
        long capacity = Long.parseLong(sizes[0].strip());
        long free = Long.parseLong(sizes[1].strip());
        List<VolumeInfo> volumes = new ArrayList<>();
        for (String line : lvsOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] f = line.split(LvmArgv.SEPARATOR);
            if (f.length < 3) {
                throw StorageErrors.internal("cannot parse lvs output '" + line + "'");
            }
            volumes.add(volume(pool, f[0], f[1], Long.parseLong(f[2].strip())));
        }
        return new PoolContents(capacity, capacity - free, free, volumes);
    }

    private static VolumeInfo volume(PoolDef pool, String name, String uuid, long size) {
        String path = pool.targetPath() + "/" + name;
        VolumeDef def = new VolumeDef("block", name, uuid, size, size,
            new VolumeDef.Target(path, null, null, null, null, null, false, false, false, false), null);
        return new VolumeInfo(name, uuid, path, StorageFlags.VOL_BLOCK, size, size, VolumeXml.format(def, 0));
    }
}
