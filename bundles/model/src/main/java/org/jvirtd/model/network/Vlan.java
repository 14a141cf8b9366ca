package org.jvirtd.model.network;

import java.util.List;

/**
 * {@code <vlan>}: tags, and whether the port is a trunk.
 */
public record Vlan(Boolean trunk, List<Tag> tags) {
    public Vlan {
        tags = List.copyOf(tags);
    }

    /** {@code <tag id nativeMode/>}. */
    public record Tag(int id, String nativeMode) {
    }
}
