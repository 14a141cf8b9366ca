package org.jvirtd.api.nwfilter;

import java.util.Objects;
import java.util.UUID;

/** A network filter's identity as clients see it (virNWFilterPtr, remote_nonnull_nwfilter): name and UUID. */
public record NwFilterRef(String name, UUID uuid) {
    public NwFilterRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }
}
