package org.jvirtd.model.domain.qemu;

import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * libvirt's implicit devices: drive addresses and the controllers disks, channels, smartcards and SCSI host
 * devices plug into, and a video adapter for graphics.
 */
final class ImplicitDevices {
    private static final Map<String, String> BUS_OF_PREFIX = Map.of("hd", "ide", "sd", "scsi", "vd", "virtio",
        "xvd", "xen", "fd", "fdc", "ubd", "uml");

    private ImplicitDevices() {
    }

    static void apply(Guest guest) {
        guest.list("disk").forEach(ImplicitDevices::driveAddress);
        diskControllers(guest, "scsi", "scsi");
        diskControllers(guest, "fdc", "fdc");
        diskControllers(guest, "ide", "ide");
        diskControllers(guest, "sata", "sata");
        virtioSerialControllers(guest);
        smartcardControllers(guest);
        hostdevScsiControllers(guest);
        if (!guest.list("graphics").isEmpty() && guest.list("video").isEmpty()) {
            XmlNode video = new XmlNode("video", null);
            guest.append(video);
            VideoDefaults.apply(guest, video);
        }
    }

    private static void driveAddress(XmlNode disk) {
        XmlNode target = disk.child("target");
        if (target == null || target.attr("dev") == null) {
            return;
        }
        String dev = target.attr("dev");
        String bus = target.attr("bus");
        if (bus == null) {
            bus = BUS_OF_PREFIX.entrySet().stream().filter(e -> dev.startsWith(e.getKey()))
                .max((a, b) -> a.getKey().length() - b.getKey().length()).map(Map.Entry::getValue).orElse(null);
            if (bus == null) {
                return;
            }
            target.set("bus", bus);
            target.orderAttributes(List.of("dev", "bus"));
        }
        if (disk.child("address") != null) {
            return;
        }
        int idx = diskIndex(dev);
        if (idx < 0) {
            return;
        }
        int[] ctlBusUnit = switch (bus) {
            case "scsi" -> {
                int unit = idx % 15;
                yield new int[] {idx / 15, 0, unit >= 7 ? unit + 1 : unit};
            }
            case "ide" -> new int[] {idx / 4, (idx % 4) / 2, idx % 2};
            case "sata" -> new int[] {idx / 6, 0, idx % 6};
            case "fdc" -> new int[] {idx / 2, 0, idx % 2};
            default -> null;
        };
        if (ctlBusUnit != null) {
            disk.children().add(Nodes.element("address", "type", "drive", "controller",
                Integer.toString(ctlBusUnit[0]), "bus", Integer.toString(ctlBusUnit[1]), "target", "0", "unit",
                Integer.toString(ctlBusUnit[2])));
        }
    }

    /** virDiskNameToIndex: the letters after the prefix as a bijective base-26 number, from 0. */
    static int diskIndex(String dev) {
        String letters = dev.replaceFirst("^(hd|sd|vd|xvd|fd|ubd)", "");
        if (letters.isEmpty() || !letters.matches("[a-z]+")) {
            return -1;
        }
        int idx = 0;
        for (char ch : letters.toCharArray()) {
            idx = idx * 26 + (ch - 'a' + 1);
        }
        return idx - 1;
    }

    private static void diskControllers(Guest guest, String controllerType, String bus) {
        int max = -1;
        for (XmlNode disk : guest.list("disk")) {
            XmlNode target = disk.child("target");
            XmlNode address = disk.child("address");
            if (target != null && bus.equals(target.attr("bus")) && address != null
                && "drive".equals(address.attr("type"))) {
                max = Math.max(max, number(address.attr("controller")));
            }
        }
        for (int i = 0; i <= max; i++) {
            guest.addControllerIfMissing(controllerType, i, null);
        }
    }

    private static void virtioSerialControllers(Guest guest) {
        for (String kind : List.of("channel", "console")) {
            for (XmlNode chr : guest.list(kind)) {
                XmlNode target = chr.child("target");
                if (target == null || !"virtio".equals(target.attr("type"))) {
                    continue;
                }
                XmlNode address = chr.child("address");
                int idx = address != null && "virtio-serial".equals(address.attr("type"))
                    ? number(address.attr("controller")) : 0;
                guest.addControllerIfMissing("virtio-serial", idx, null);
            }
        }
    }

    private static void smartcardControllers(Guest guest) {
        for (XmlNode card : guest.list("smartcard")) {
            XmlNode address = card.child("address");
            int idx = 0;
            if (address != null && "ccid".equals(address.attr("type"))) {
                idx = number(address.attr("controller"));
            } else if (address == null) {
                int slot = guest.list("smartcard").stream().map(c -> c.child("address"))
                    .filter(a -> a != null && "ccid".equals(a.attr("type")) && number(a.attr("controller")) == 0)
                    .mapToInt(a -> number(a.attr("slot"))).max().orElse(-1) + 1;
                card.children().add(Nodes.element("address", "type", "ccid", "controller", "0", "slot",
                    Integer.toString(slot)));
            }
            guest.addControllerIfMissing("ccid", idx, null);
        }
    }

    /** libvirt's narrow SCSI bus: units 0-7, unit 7 being the controller's own. */
    private static final int SCSI_UNITS = 8;
    private static final int SCSI_CONTROLLER_UNIT = 7;

    /**
     * SCSI host devices without a guest address get the first free unit (bus 0, target 0) of the first controller
     * with one, in document order; then every SCSI controller up to the highest one used is added, of the model of
     * the controller the last highest-numbered host device sits on (one model for all of them, as libvirt keeps).
     */
    private static void hostdevScsiControllers(Guest guest) {
        for (XmlNode hostdev : guest.list("hostdev")) {
            if (isScsiHostdev(hostdev) && hostdev.child("address") == null) {
                assignScsiUnit(guest, hostdev);
            }
        }
        int max = -1;
        String model = null;
        for (XmlNode hostdev : guest.list("hostdev")) {
            XmlNode address = hostdev.child("address");
            if (isScsiHostdev(hostdev) && address != null && "drive".equals(address.attr("type"))
                && number(address.attr("controller")) > max) {
                max = number(address.attr("controller"));
                XmlNode controller = guest.controller("scsi", max);
                if (controller != null && controller.attr("model") != null) {
                    model = controller.attr("model");
                }
            }
        }
        for (int i = 0; i <= max; i++) {
            guest.addControllerIfMissing("scsi", i, model);
        }
    }

    private static boolean isScsiHostdev(XmlNode hostdev) {
        return "subsystem".equals(hostdev.attr("mode")) && "scsi".equals(hostdev.attr("type"));
    }

    private static void assignScsiUnit(Guest guest, XmlNode hostdev) {
        for (int controller = 0; ; controller++) {
            for (int unit = 0; unit < SCSI_UNITS; unit++) {
                if (unit != SCSI_CONTROLLER_UNIT && !scsiUnitUsed(guest, controller, unit)) {
                    hostdev.children().add(Nodes.element("address", "type", "drive", "controller",
                        Integer.toString(controller), "bus", "0", "target", "0", "unit", Integer.toString(unit)));
                    return;
                }
            }
        }
    }

    private static boolean scsiUnitUsed(Guest guest, int controller, int unit) {
        for (XmlNode device : guest.devices.children()) {
            boolean scsi = device.is("hostdev") ? isScsiHostdev(device)
                : device.is("disk") && device.child("target") != null
                    && "scsi".equals(device.child("target").attr("bus"));
            XmlNode a = scsi ? device.child("address") : null;
            if (a != null && "drive".equals(a.attr("type")) && number(a.attr("controller")) == controller
                && number(a.attr("bus")) == 0 && number(a.attr("target")) == 0 && number(a.attr("unit")) == unit) {
                return true;
            }
        }
        return false;
    }

    static int number(String text) {
        if (text == null) {
            return 0;
        }
        String t = text.strip();
        try {
            long value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            return (int) value;
        } catch (NumberFormatException e) {
            return -1; // not an address number: matches no controller or unit
        }
    }
}
