package org.jvirtd.storage.util;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolSource;
import org.jvirtd.model.storage.PoolType;

/**
 * The mount and umount command lines of fs and netfs pools on Linux, a pure function of the pool
 * definition (libvirt's virStorageBackendFileSystemMountCmd).
 */
public final class MountArgv {
    private MountArgv() {
    }

    /** {@code mount -o nodev,nosuid,noexec[,extras] [-t FORMAT] SOURCE TARGET}. */
    public static List<String> mount(PoolDef pool) {
        String format = format(pool);
        List<String> options = new ArrayList<>(List.of("nodev", "nosuid", "noexec"));
        if (pool.source().protocolVersion() != null) {
            options.add("nfsvers=" + pool.source().protocolVersion());
        }
        if ("glusterfs".equals(format)) {
            options.add("direct-io-mode=1");
        }
        if ("cifs".equals(format)) {
            options.add("guest");
        }
        options.addAll(pool.mountOptions());
        List<String> argv = new ArrayList<>(List.of("mount", "-o", String.join(",", options)));
        if (!(pool.type() == PoolType.NETFS && "auto".equals(format))) {
            argv.addAll(List.of("-t", format));
        }
        argv.add(source(pool, format));
        argv.add(pool.targetPath());
        return argv;
    }

    public static List<String> umount(PoolDef pool) {
        return List.of("umount", pool.targetPath());
    }

    /** What the pool mounts: the device of an fs pool, {@code host:dir} or {@code //host/dir} of a netfs one. */
    public static String source(PoolDef pool) {
        return source(pool, format(pool));
    }

    private static String source(PoolDef pool, String format) {
        PoolSource src = pool.source();
        if (pool.type() == PoolType.FS) {
            if (src.devices().isEmpty()) {
                throw StorageErrors.invalid("missing source device");
            }
            return src.devices().get(0).path();
        }
        if (pool.type() != PoolType.NETFS) {
            throw StorageErrors.invalid("storage pool type " + pool.type().xmlName() + " has no mount command");
        }
        if (src.hosts().isEmpty() || src.dir() == null) {
            throw StorageErrors.invalid(src.hosts().isEmpty() ? "missing source host" : "missing source path");
        }
        String host = src.hosts().get(0).name();
        return "cifs".equals(format) ? "//" + host + "/" + src.dir() : host + ":" + src.dir();
    }

    private static String format(PoolDef pool) {
        String format = pool.source().format();
        if (format != null) {
            return format;
        }
        return pool.type() == PoolType.NETFS ? "auto" : pool.type().formats().isEmpty() ? "auto"
            : pool.type().formats().get(0);
    }
}
