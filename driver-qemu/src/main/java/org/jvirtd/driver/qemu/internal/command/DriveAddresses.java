package org.jvirtd.driver.qemu.internal.command;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The drive address of a disk on its controller: the one the XML gives, or the one libvirt derives
 * from the target name (hda, sdb, fda ...).
 */
final class DriveAddresses {
    private DriveAddresses() {
    }

    static GuestDef.DriveAddress of(GuestDef.Disk disk) {
        if (disk.drive() != null) {
            return disk.drive();
        }
        int idx = targetIndex(disk.target());
        return switch (disk.bus() == null ? "" : disk.bus()) {
            case "ide" -> new GuestDef.DriveAddress(idx / 4, (idx % 4) / 2, 0, idx % 2);
            case "scsi" -> new GuestDef.DriveAddress(idx / 7, 0, 0, idx % 7);
            case "sata" -> new GuestDef.DriveAddress(idx / 6, 0, 0, idx % 6);
            case "fdc" -> new GuestDef.DriveAddress(0, 0, 0, idx % 2);
            default -> new GuestDef.DriveAddress(0, 0, 0, idx);
        };
    }

    /** hda -> 0, vdb -> 1, sdaa -> 26: the letters after the two-letter prefix in base 26. */
    static int targetIndex(String target) {
        if (target == null || target.length() < 3) {
            return 0;
        }
        int idx = 0;
        for (char c : target.substring(2).toCharArray()) {
            if (c < 'a' || c > 'z') {
                break;
            }
            idx = idx * 26 + (c - 'a' + 1);
        }
        return idx - 1;
    }
}
