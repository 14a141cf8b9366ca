package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.model.storage.PoolDef;

/**
 * A directory pool whose target is a mount point (fs and netfs): started by mounting its source there,
 * stopped by unmounting, and active while /proc/mounts shows the target.
 */
public abstract class MountedPoolBackend extends DirectoryPoolBackend {
    private static final Path MOUNTS = Path.of("/proc/mounts");

    @Override
    public boolean isActive(PoolHandle pool) {
        return mounted(definition(pool).targetPath());
    }

    @Override
    public void start(PoolHandle pool) {
        PoolDef def = definition(pool);
        if (mounted(def.targetPath())) {
            throw StorageErrors.invalid("Target '" + def.targetPath() + "' is already mounted");
        }
        PoolDirectory.requireDirectory(def);
        HostCommand.run(MountArgv.mount(def));
    }

    @Override
    public void stop(PoolHandle pool) {
        PoolDef def = definition(pool);
        if (mounted(def.targetPath())) {
            HostCommand.run(MountArgv.umount(def));
        }
    }

    /** Whether a file system is mounted on {@code target} now. */
    public static boolean mounted(String target) {
        try {
            for (String line : Files.readAllLines(MOUNTS, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && unescape(fields[1]).equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw StorageErrors.system("cannot read", MOUNTS.toString(), e);
        }
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
