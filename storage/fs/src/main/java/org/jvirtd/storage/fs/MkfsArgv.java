package org.jvirtd.storage.fs;

import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.storage.util.MountArgv;

/**
 * The command lines an fs pool's build runs, pure functions of the pool: mkfs to format its device and
 * blkid to see what the device holds already.
 */
final class MkfsArgv {
    private MkfsArgv() {
    }

    /** {@code mkfs -t FORMAT DEVICE}, with -F for ext file systems so a whole device is formatted unasked. */
    static List<String> mkfs(PoolDef pool) {
        String format = format(pool);
        String device = MountArgv.source(pool);
        return format.startsWith("ext") ? List.of("mkfs", "-t", format, "-F", device)
            : List.of("mkfs", "-t", format, device);
    }

    /** {@code blkid -o value -s TYPE DEVICE}: prints the file system type, exits 2 when there is none. */
    static List<String> probe(PoolDef pool) {
        return List.of("blkid", "-o", "value", "-s", "TYPE", MountArgv.source(pool));
    }

    static String format(PoolDef pool) {
        String format = pool.source().format();
        return format == null || "auto".equals(format) ? "ext4" : format;
    }
}
