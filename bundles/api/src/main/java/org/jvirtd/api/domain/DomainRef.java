package org.jvirtd.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * A domain's identity as clients see it: name, UUID and id (-1 while inactive).
 */
public record DomainRef(String name, UUID uuid, int id) {
    public DomainRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }

    public boolean isActive() {
        return id >= 0;
    }
}
