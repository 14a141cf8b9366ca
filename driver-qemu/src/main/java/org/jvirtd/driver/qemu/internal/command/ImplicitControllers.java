package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Adds the controllers libvirt adds to an x86 definition without being asked: the USB controller, the
 * chipset's IDE or SATA controller, SCSI controllers for SCSI disks, virtio-serial for virtio channels.
 */
final class ImplicitControllers {
    private ImplicitControllers() {
    }

    static List<GuestDef.Controller> complete(GuestDef def, QemuCaps caps, boolean q35) {
        List<GuestDef.Controller> result = new ArrayList<>(def.devices().controllers());
        addIfMissing(result, "usb", 0, q35 ? "qemu-xhci" : null);
        addIfMissing(result, q35 ? "sata" : "ide", 0, null);
        for (GuestDef.Disk disk : def.devices().disks()) {
            if ("scsi".equals(disk.bus())) {
                addIfMissing(result, "scsi", DriveAddresses.of(disk).controller(), "lsilogic");
            } else if ("sata".equals(disk.bus())) {
                addIfMissing(result, "sata", DriveAddresses.of(disk).controller(), null);
            } else if ("fdc".equals(disk.bus())) {
                addIfMissing(result, "fdc", 0, null);
            }
        }
        // the virtio-serial controller each virtio channel's address names (0 without one), 0 for virtio consoles
        for (GuestDef.Chardev channel : def.devices().channels()) {
            if ("virtio".equals(channel.targetType())) {
                addIfMissing(result, "virtio-serial",
                    channel.serialAddress() == null ? 0 : channel.serialAddress().controller(), null);
            }
        }
        if (def.devices().consoles().stream().anyMatch(c -> "virtio".equals(c.targetType()))) {
            addIfMissing(result, "virtio-serial", 0, null);
        }
        return result;
    }

    private static void addIfMissing(List<GuestDef.Controller> list, String type, int index, String model) {
        boolean present = list.stream().anyMatch(c -> c.type().equals(type) && c.index() == index);
        if (!present) {
            list.add(new GuestDef.Controller(type, index, model, null, null, null, java.util.Map.of(), null, null));
        }
    }
}
