package org.jvirtd.model.nodedev;

import java.util.UUID;

import org.jvirtd.api.nodedev.NodeDeviceCapability;

/** The host itself (libvirt's "computer" device): its DMI product, hardware and firmware facts, each null when unknown. */
public record SystemCapability(String product, String hardwareVendor, String hardwareVersion, String hardwareSerial,
                               UUID uuid, String firmwareVendor, String firmwareVersion, String firmwareDate)
    implements DeviceCapability {
    @Override
    public NodeDeviceCapability type() {
        return NodeDeviceCapability.SYSTEM;
    }
}
