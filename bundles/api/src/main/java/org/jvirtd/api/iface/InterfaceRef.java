package org.jvirtd.api.iface;

import java.util.Objects;

/** A host interface's identity as clients see it (virInterfacePtr, remote_nonnull_interface): name and MAC. */
public record InterfaceRef(String name, String mac) {
    public InterfaceRef {
        Objects.requireNonNull(name, "name");
        mac = mac == null ? "" : mac;
    }
}
