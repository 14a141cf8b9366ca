package org.jvirtd.model.nodedev;

import java.util.Objects;

/**
 * One host device as libvirt's node device XML describes it: its name, sysfs path, device node, parent
 * device, bound driver (each null when absent) and its capability.
 */
public record NodeDeviceDef(String name, String sysfsPath, String devnode, String parent, String driver,
                            DeviceCapability capability) {
    public NodeDeviceDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capability, "capability");
    }
}
