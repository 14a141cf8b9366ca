package org.jvirtd.model.nodedev;

import java.util.List;

import org.jvirtd.api.nodedev.NodeDeviceCapability;

/**
 * A network interface: name, MAC (null when it has none), link speed in Mb/s (null when unknown) and
 * operational state (null when unknown), offload features by libvirt's names, and its kind ("80203" wired,
 * "80211" wireless).
 */
public record NetCapability(String interfaceName, String address, Long speed, String state, List<String> features,
                            String subtype) implements DeviceCapability {
    public NetCapability {
        features = features == null ? List.of() : List.copyOf(features);
    }

    @Override
    public NodeDeviceCapability type() {
        return NodeDeviceCapability.NET;
    }
}
