package org.jvirtd.model.domain.qemu;

import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * The serial port target type and model the machine provides when the definition leaves them out.
 */
final class SerialDefaults {
    private static final Map<String, String> MODEL_OF_TYPE = Map.of("isa-serial", "isa-serial",
        "usb-serial", "usb-serial", "pci-serial", "pci-serial", "spapr-vio-serial", "spapr-vty",
        "sclp-serial", "sclpconsole", "isa-debug", "isa-debugcon");
    private static final List<String> BEFORE_TARGET = List.of("source", "protocol", "log");

    private SerialDefaults() {
    }

    static void apply(Guest guest, XmlNode serial) {
        XmlNode target = Nodes.childOrNew(serial, "target", BEFORE_TARGET);
        if (!target.has("type")) {
            String type = defaultType(guest);
            if (type == null) {
                return;
            }
            target.set("type", type);
        }
        target.orderAttributes(List.of("type", "port"));
        XmlNode model = target.child("model");
        if (model == null || !model.has("name")) {
            String name = defaultModel(guest, target.attr("type"));
            if (name != null) {
                (model == null ? Nodes.insertAfter(target, new XmlNode("model", null), List.of()) : model)
                    .set("name", name);
            }
        }
    }

    private static String defaultType(Guest guest) {
        if (guest.isX86()) {
            return "isa-serial";
        }
        if (guest.isPSeries()) {
            return "spapr-vio-serial";
        }
        if (guest.isArmVirt() || guest.isRiscvVirt()) {
            return "system-serial";
        }
        return guest.isS390() ? "sclp-serial" : null;
    }

    private static String defaultModel(Guest guest, String type) {
        if (type.equals("system-serial")) {
            if (guest.isArmVirt()) {
                return "pl011";
            }
            return guest.isRiscvVirt() ? "16550a" : null;
        }
        return MODEL_OF_TYPE.get(type);
    }
}
