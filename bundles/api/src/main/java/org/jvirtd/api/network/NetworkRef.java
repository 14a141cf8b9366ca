package org.jvirtd.api.network;

import java.util.Objects;
import java.util.UUID;

/**
 * A network's identity as clients see it (virNetworkPtr): name and UUID.
 */
public record NetworkRef(String name, UUID uuid) {
    public NetworkRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }
}
