package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * Video defaults: the machine's default adapter, QXL's VGA memory, the video RAM sizes and one head.
 */
final class VideoDefaults {
    private VideoDefaults() {
    }

    static void apply(Guest guest, XmlNode video) {
        XmlNode model = video.child("model");
        if (model == null) {
            model = new XmlNode("model", null);
            video.insert(0, model);
        }
        if (!model.has("type")) {
            String type = defaultType(guest);
            if (type == null) {
                return;
            }
            model.set("type", type);
        }
        String type = model.attr("type");
        if (type.equals("none")) {
            return;
        }
        if (type.equals("qxl")) {
            setIfMissing(model, "vgamem", "16384");
            setIfMissing(model, "ram", "65536");
        }
        int vram = defaultVram(type);
        if (vram > 0) {
            setIfMissing(model, "vram", Integer.toString(vram));
        }
        setIfMissing(model, "heads", "1");
        model.orderAttributes(List.of("type", "ram", "vram", "vram64", "vgamem", "heads", "primary"));
    }

    private static String defaultType(Guest guest) {
        if (guest.isPpc64()) {
            return "vga";
        }
        if (guest.isArmVirt() || guest.isRiscvVirt() || guest.isS390()) {
            return "virtio";
        }
        if (guest.caps.has("cirrus-vga")) {
            return "cirrus";
        }
        return guest.caps.has("VGA") ? "vga" : null;
    }

    private static int defaultVram(String type) {
        return switch (type) {
            case "vga", "cirrus", "vmvga", "bochs" -> 16384;
            case "xen" -> 4096;
            case "qxl" -> 65536;
            default -> 0;
        };
    }

    private static void setIfMissing(XmlNode node, String attribute, String value) {
        if (!node.has(attribute)) {
            node.set(attribute, value);
        }
    }
}
