package org.jvirtd.storage.core.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolSource;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.storage.util.StorageErrors;

/**
 * Refuses a pool definition that clashes with another pool: the same name or UUID on a different pool
 * (libvirt's duplicate check), the same source, or a target directory inside or around another's.
 */
final class PoolConflicts {
    private PoolConflicts() {
    }

    static void check(PoolDef def, Collection<PoolDef> others) {
        for (PoolDef other : others) {
            boolean sameName = other.name().equals(def.name());
            boolean sameUuid = other.uuid().equals(def.uuid());
            if (sameUuid && !sameName) {
                throw StorageErrors.failed("pool '" + other.name() + "' is already defined with uuid " + other.uuid());
            }
            if (sameName && !sameUuid) {
                throw StorageErrors.failed("pool '" + def.name() + "' already exists with uuid " + other.uuid());
            }
            if (sameName) {
                continue;
            }
            if (sameSource(def, other)) {
                throw StorageErrors.failed("Storage source conflict with pool: '" + other.name() + "'");
            }
            if (overlaps(def, other)) {
                throw StorageErrors.failed("target path '" + def.targetPath() + "' of pool '" + def.name()
                    + "' overlaps target path '" + other.targetPath() + "' of pool '" + other.name() + "'");
            }
        }
    }

    private static boolean sameSource(PoolDef a, PoolDef b) {
        PoolSource x = a.source();
        PoolSource y = b.source();
        if (a.type() == PoolType.DIR && b.type() == PoolType.DIR) {
            return Objects.equals(a.targetPath(), b.targetPath());
        }
        if (a.type() == PoolType.NETFS && b.type() == PoolType.NETFS) {
            return !x.hosts().isEmpty() && !y.hosts().isEmpty()
                && x.hosts().get(0).name().equals(y.hosts().get(0).name()) && Objects.equals(x.dir(), y.dir());
        }
        if (a.type() == PoolType.LOGICAL && b.type() == PoolType.LOGICAL && Objects.equals(x.name(), y.name())) {
            return true;
        }
        return x.devices().stream().anyMatch(d -> y.devices().stream().anyMatch(e -> e.path().equals(d.path())));
    }

    /** Two pools whose volumes are files in their targets must not share files: neither target holds the other. */
    private static boolean overlaps(PoolDef a, PoolDef b) {
        if (!holdsFiles(a) || !holdsFiles(b) || a.targetPath() == null || b.targetPath() == null) {
            return false;
        }
        Path x = Path.of(a.targetPath()).normalize();
        Path y = Path.of(b.targetPath()).normalize();
        return x.startsWith(y) || y.startsWith(x);
    }

    private static boolean holdsFiles(PoolDef def) {
        return def.type() == PoolType.DIR || def.type() == PoolType.FS || def.type() == PoolType.NETFS;
    }
}
