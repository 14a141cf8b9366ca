package org.jvirtd.api.storage;

import java.util.Objects;

/**
 * A storage volume's identity as clients see it (virStorageVol): its pool's name, its name and its key.
 */
public record VolumeRef(String pool, String name, String key) {
    public VolumeRef {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }
}
