package org.jvirtd.model.domain.qemu;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The devices the QEMU driver adds to every definition of a machine type: implicit PS/2 inputs, the default USB,
 * SATA and PCI root controllers, the memory balloon, USB inputs and panic device where the platform has them.
 */
final class DefaultDevices {
    private static final ErrorDomain D = ErrorDomain.QEMU;

    private DefaultDevices() {
    }

    static void apply(Guest guest) {
        if (supportsI8042(guest) && !ps2Off(guest)) {
            addInputIfMissing(guest, "mouse", "ps2");
            addInputIfMissing(guest, "keyboard", "ps2");
        }
        Plan plan = plan(guest);
        if (plan.usb && guest.controller("usb", 0) == null) {
            UsbControllers.add(guest, 0, plan.usbModel);
        }
        if (plan.sata) {
            guest.addControllerIfMissing("sata", 0, null);
        }
        XmlNode root = guest.controller("pci", 0);
        if (plan.pciRoot) {
            requireRoot(guest, root, "pci-root");
        }
        if (plan.pcieRoot) {
            requireRoot(guest, root, "pcie-root");
        }
        if (plan.memballoon && guest.list("memballoon").isEmpty()) {
            guest.append(new XmlNode("memballoon", null).set("model", "virtio"));
        }
        boolean graphics = !guest.list("graphics").isEmpty();
        if (plan.usbKeyboard && graphics) {
            addInputIfMissing(guest, "keyboard", "usb");
        }
        boolean tablet = guest.list("input").stream()
            .anyMatch(i -> "tablet".equals(i.attr("type")) && "usb".equals(i.attr("bus")));
        if (plan.usbMouse && graphics && !tablet) {
            addInputIfMissing(guest, "mouse", "usb");
        }
        if (plan.panic) {
            String model = DeviceDefaults.panicModel(guest);
            boolean present = guest.list("panic").stream()
                .anyMatch(p -> p.attr("model") == null || model.equals(p.attr("model")));
            if (!present) {
                guest.append(new XmlNode("panic", null).set("model", model));
            }
        }
        AudioDefaults.apply(guest);
    }

    /** Which defaults the architecture and machine call for (qemuDomainDefAddDefaultDevices). */
    private static final class Plan {
        boolean usb = true;
        String usbModel;
        boolean sata;
        boolean pciRoot;
        boolean pcieRoot;
        boolean memballoon = true;
        boolean usbKeyboard;
        boolean usbMouse;
        boolean panic;
    }

    private static Plan plan(Guest guest) {
        Plan p = new Plan();
        QemuCaps caps = guest.caps;
        if (guest.isX86()) {
            if (guest.machine().equals("isapc")) {
                p.usb = false;
            } else if (guest.isQ35()) {
                p.pcieRoot = true;
                p.sata = true;
                p.usbModel = caps.has("qemu-xhci") ? "qemu-xhci" : caps.has("nec-usb-xhci") ? "nec-xhci"
                    : caps.has("ich9-usb-ehci1") ? "ich9-ehci1" : null;
                p.usb = p.usbModel != null;
            } else if (guest.isI440fx()) {
                p.pciRoot = true;
            }
        } else if (guest.isArm() || guest.isRiscv()) {
            p.usb = false;
            p.memballoon = false;
            p.pcieRoot = (guest.isArmVirt() || guest.isRiscvVirt()) && caps.has("gpex-pcihost");
        } else if (guest.isPpc64()) {
            p.pciRoot = true;
            p.usbKeyboard = true;
            p.usbMouse = true;
            p.panic = guest.isPSeries();
        } else if (guest.isS390()) {
            p.usb = false;
            p.panic = true;
            p.pciRoot = caps.has("zpci");
        } else if (guest.arch().matches("alpha|ppc|ppcemb|sh4|sh4eb|sparc|sparc64")) {
            p.pciRoot = true;
        }
        return p;
    }

    private static void requireRoot(Guest guest, XmlNode existing, String model) {
        if (existing == null) {
            guest.addControllerIfMissing("pci", 0, model);
        } else if (!model.equals(existing.attr("model"))) {
            throw Errors.xml(D, "The PCI controller with index='0' must be model='" + model
                + "' for this machine type, but model='" + existing.attr("model") + "' was found instead");
        }
    }

    private static boolean supportsI8042(Guest guest) {
        return guest.isX86() && (guest.isI440fx() || guest.isQ35() || guest.machine().equals("isapc"));
    }

    private static boolean ps2Off(Guest guest) {
        XmlNode features = guest.root.child("features");
        XmlNode ps2 = features == null ? null : features.child("ps2");
        return ps2 != null && "off".equals(ps2.attr("state"));
    }

    private static void addInputIfMissing(Guest guest, String type, String bus) {
        boolean present = guest.list("input").stream()
            .anyMatch(i -> type.equals(i.attr("type")) && bus.equals(i.attr("bus")));
        if (!present) {
            guest.append(new XmlNode("input", null).set("type", type).set("bus", bus));
        }
    }
}
