package org.jvirtd.model.domain.qemu;

import org.jvirtd.model.internal.XmlNode;

/**
 * Adds a USB controller the way libvirt does: an ICH9 EHCI controller comes with its three UHCI companions.
 */
final class UsbControllers {
    private UsbControllers() {
    }

    static void add(Guest guest, int index, String model) {
        guest.appendController(controller(index, model));
        if ("ich9-ehci1".equals(model)) {
            for (int i = 1; i <= 3; i++) {
                XmlNode companion = controller(index, "ich9-uhci" + i);
                companion.children().add(new XmlNode("master", null).set("startport", Integer.toString((i - 1) * 2)));
                guest.appendController(companion);
            }
        }
    }

    private static XmlNode controller(int index, String model) {
        XmlNode c = new XmlNode("controller", null).set("type", "usb").set("index", Integer.toString(index));
        if (model != null) {
            c.set("model", model);
        }
        return c;
    }
}
