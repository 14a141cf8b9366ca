package org.jvirtd.model.iface;

import java.util.Objects;

/**
 * A host interface as libvirt's udev backend describes it: name, MTU (0: unknown), link speed in Mb/s (null
 * when unknown), operational state (null when unknown) and MAC (null when it has none).
 */
public record HostInterfaceDef(String name, int mtu, Long speed, String state, String mac) {
    public HostInterfaceDef {
        Objects.requireNonNull(name, "name");
    }

    /** Active as the udev backend counts it: operationally up. */
    public boolean active() {
        return "up".equals(state);
    }
}
