package org.jvirtd.api.storage;

import java.util.Objects;
import java.util.UUID;

/**
 * A storage pool's identity as clients see it: name and UUID.
 */
public record PoolRef(String name, UUID uuid) {
    public PoolRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }
}
