package org.jvirtd.rpc.server;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.jvirtd.platform.conf.ConfFile;

/** Octal socket modes of libvirtd.conf ("0770") as file permissions. */
final class SocketModes {
    private static final PosixFilePermission[] BIT_ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private SocketModes() {
    }

    static Set<PosixFilePermission> parse(ConfFile conf, String key, String fallback) {
        String octal = conf.string(key, fallback);
        if (!octal.matches("0?[0-7]{1,3}")) {
            throw new IllegalArgumentException(conf.name() + ": " + key + ": Failed to parse mode '" + octal + "'");
        }
        return of(Integer.parseInt(octal, 8));
    }

    static Set<PosixFilePermission> of(int bits) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BIT_ORDER.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(BIT_ORDER[i]);
            }
        }
        return permissions;
    }
}
