package org.jvirtd.storage.core.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.storage.util.StorageErrors;

/**
 * The pools jvirtd knows, by name, with libvirt's lookups and its duplicate checks done under one lock.
 */
final class PoolTable {
    private final Map<String, PoolObject> pools = new TreeMap<>();

    synchronized PoolObject byName(String name) {
        PoolObject pool = pools.get(name);
        if (pool == null) {
            throw StorageErrors.noPoolName(name);
        }
        return pool;
    }

    synchronized PoolObject byUuid(UUID uuid) {
        return pools.values().stream().filter(p -> p.uuid().equals(uuid)).findFirst()
            .orElseThrow(() -> StorageErrors.noPoolUuid(uuid.toString()));
    }

    /** The pool a client's reference names; it must still be the same pool (same UUID). */
    synchronized PoolObject get(PoolRef ref) {
        PoolObject pool = pools.get(ref.name());
        if (pool == null || !pool.uuid().equals(ref.uuid())) {
            throw StorageErrors.noPoolName(ref.name());
        }
        return pool;
    }

    synchronized List<PoolObject> all() {
        return List.copyOf(pools.values());
    }

    /**
     * Finds the pool {@code def} redefines, or adds a new one made by {@code create}, after checking that it
     * clashes with no other pool.
     */
    synchronized PoolObject findOrAdd(PoolDef def, java.util.function.Supplier<PoolObject> create) {
        PoolConflicts.check(def, pools.values().stream().map(PoolObject::persistentDef).toList());
        PoolConflicts.check(def, pools.values().stream().map(PoolObject::def).toList());
        PoolObject existing = pools.get(def.name());
        if (existing != null) {
            return existing;
        }
        PoolObject pool = create.get();
        pools.put(def.name(), pool);
        return pool;
    }

    synchronized void add(PoolObject pool) {
        pools.put(pool.name(), pool);
    }

    synchronized void remove(PoolObject pool) {
        pools.remove(pool.name(), pool);
    }
}
