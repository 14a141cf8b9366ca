package org.jvirtd.model.nodedev;

import org.jvirtd.api.nodedev.NodeDeviceCapability;

/**
 * A block device: its node, drive type ("disk", "cd", ...), bus, model, vendor and serial (null when
 * unknown), size in bytes, logical block size and number of blocks.
 */
public record StorageCapability(String block, String bus, String driveType, String model, String vendor,
                                String serial, long size, long logicalBlockSize, long numBlocks)
    implements DeviceCapability {
    @Override
    public NodeDeviceCapability type() {
        return NodeDeviceCapability.STORAGE;
    }
}
