package org.jvirtd.driver.qemu.internal.command;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/** The QEMU device ids the command line gives disks, which the live XML shows as aliases. */
public final class DeviceAliases {
    private DeviceAliases() {
    }

    /** A disk's alias, or null for a bus whose id depends on its controller's model (SCSI). */
    public static String disk(GuestDef.Disk disk) {
        GuestDef.DriveAddress a = DriveAddresses.of(disk);
        return switch (disk.bus() == null ? "" : disk.bus()) {
            case "virtio" -> "virtio-disk" + DriveAddresses.targetIndex(disk.target());
            case "usb" -> "usb-disk" + DriveAddresses.targetIndex(disk.target());
            case "sata" -> "sata" + a.controller() + "-0-" + a.unit();
            case "fdc" -> "fdc0-0-" + a.unit();
            case "scsi" -> null;
            default -> "ide" + a.controller() + "-" + a.bus() + "-" + a.unit();
        };
    }
}
