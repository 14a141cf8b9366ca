package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;

/**
 * The target directory of a dir, fs or netfs pool: making it, removing it, and its file system's sizes.
 */
public final class PoolDirectory {
    /** libvirt's default mode of a pool directory it creates. */
    private static final int DEFAULT_MODE = 0711;

    private PoolDirectory() {
    }

    /** Creates the target directory (and its parents) with the pool's permissions. */
    public static void build(PoolDef pool, int flags) {
        checkBuildFlags(flags);
        Path target = Path.of(pool.targetPath());
        try {
            Files.createDirectories(target);
            int mode = pool.permissions() != null && pool.permissions().mode() >= 0 ? pool.permissions().mode()
                : DEFAULT_MODE;
            Files.setPosixFilePermissions(target, permissions(mode));
            if (pool.permissions() != null) {
                FileVolumes.chown(target, pool.permissions().owner(), pool.permissions().group());
            }
        } catch (IOException e) {
            throw StorageErrors.system("cannot create path", target.toString(), e);
        }
    }

    public static void checkBuildFlags(int flags) {
        if ((flags & StorageFlags.BUILD_OVERWRITE) != 0 && (flags & StorageFlags.BUILD_NO_OVERWRITE) != 0) {
            throw StorageErrors.invalidArg("Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and "
                + "'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
        }
    }

    /** Removes the (empty) target directory. */
    public static void delete(PoolDef pool) {
        Path target = Path.of(pool.targetPath());
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw StorageErrors.system("failed to remove pool", target.toString(), e);
        }
    }

    /** The sizes of the file system holding the directory, and the volumes in it. */
    public static PoolContents contents(PoolDef pool, List<VolumeInfo> volumes) {
        Path target = Path.of(pool.targetPath());
        try {
            FileStore store = Files.getFileStore(target);
            long capacity = store.getTotalSpace();
            return new PoolContents(capacity, capacity - store.getUnallocatedSpace(), store.getUsableSpace(), volumes);
        } catch (IOException e) {
            throw StorageErrors.system("cannot statvfs path", target.toString(), e);
        }
    }

    /** Fails with libvirt's error when the target is not a directory one can list. */
    public static void requireDirectory(PoolDef pool) {
        Path target = Path.of(pool.targetPath());
        if (!Files.isDirectory(target)) {
            throw StorageErrors.system("cannot open directory", target.toString(),
                new java.nio.file.NoSuchFileException(target.toString()));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return java.nio.file.attribute.PosixFilePermissions.fromString(text.toString());
    }
}
