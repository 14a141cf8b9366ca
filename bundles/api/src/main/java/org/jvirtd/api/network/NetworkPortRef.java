package org.jvirtd.api.network;

import java.util.Objects;
import java.util.UUID;

/**
 * A network port's identity as clients see it (virNetworkPortPtr): its network and its UUID.
 */
public record NetworkPortRef(NetworkRef network, UUID uuid) {
    public NetworkPortRef {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(uuid, "uuid");
    }
}
