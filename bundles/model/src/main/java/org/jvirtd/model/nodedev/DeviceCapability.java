package org.jvirtd.model.nodedev;

import org.jvirtd.api.nodedev.NodeDeviceCapability;

/** The typed part of a node device, one record per capability type. */
public sealed interface DeviceCapability
    permits SystemCapability, PciCapability, NetCapability, StorageCapability {
    NodeDeviceCapability type();
}
