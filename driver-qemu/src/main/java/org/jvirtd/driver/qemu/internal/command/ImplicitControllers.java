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
        // the virtio-serial controller each virtio channel or console is on (the first unless its address says)
        java.util.stream.Stream.concat(def.devices().channels().stream(), def.devices().consoles().stream())
            .filter(c -> "virtio".equals(c.targetType()))
            .map(c -> c.serialController() != null ? c.serialController() : 0)
            .distinct()
            .forEach(index -> addIfMissing(result, "virtio-serial", index, null));
        return result;
    }

    private static void addIfMissing(List<GuestDef.Controller> list, String type, int index, String model) {
        boolean present = list.stream().anyMatch(c -> c.type().equals(type) && c.index() == index);
        if (!present) {
            list.add(new GuestDef.Controller(type, index, model, null, null, null, java.util.Map.of(), null));
        }
    }
}
