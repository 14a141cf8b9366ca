package org.jvirtd.driver.qemu.internal.command;

import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Controllers in libvirt's order: PCI (root ports and bridges, by index), USB, SCSI, IDE, SATA, virtio-serial.
 * The chipset's own IDE/SATA and the pc's PIIX3 USB without the device capability are implicit.
 */
final class ControllerSection {
    private ControllerSection() {
    }

    static void controllers(BuildContext c, List<String> argv) {
        GuestDef.Controller root = c.controller("pci", 0);
        if (root != null && "pci-root".equals(root.model()) && root.target().get("hotplug") != null) {
            // ACPI hotplug on the i440fx root bus, a property of its power management device
            argv.add("-global");
            argv.add("PIIX4_PM.acpi-root-pci-hotplug=" + ("on".equals(root.target().get("hotplug")) ? "on" : "off"));
        }
        SortedMap<Integer, Props> pciControllers = new TreeMap<>();
        for (PciPlan.RootPort port : c.pci.rootPorts()) {
            // the definition's own root port keeps its device model, port and chassis
            GuestDef.Controller own = c.controller("pci", port.index());
            java.util.Map<String, String> t = own == null ? java.util.Map.of() : own.target();
            String driver = own != null && own.modelName() != null ? own.modelName() : "pcie-root-port";
            Props props = Props.of("driver", driver)
                .put("port", number(t.get("port"), port.slot() * 8 + port.function()))
                .put("chassis", number(t.get("chassis"), port.index())).put("id", "pci." + port.index())
                .put("hotplug", hotplug(t));
            if (own != null && own.pci() != null) {
                // where the definition puts it: on pcie.0 or on an expander bus
                GuestDef.PciAddress a = own.pci();
                props.put("bus", c.pci.busName(a.bus())).put("multifunction", a.multifunction())
                    .put("addr", a.qemuAddr());
            } else {
                props.put("bus", "pcie.0").put("multifunction", port.multifunction() ? Boolean.TRUE : null)
                    .put("addr", new GuestDef.PciAddress(0, 0, port.slot(), port.function(), null).qemuAddr());
            }
            pciControllers.put(port.index(), props);
        }
        for (GuestDef.Controller bridge : c.controllersOf("pci")) {
            Props props = bridgeProps(bridge);
            if (props != null && c.pci.addressOf(bridge) != null) {
                pciControllers.put(bridge.index(), props.putAll(c.pciProps(bridge)));
            }
        }
        // in the definition's order (libvirt's array of them), then the root ports only the plan added
        for (GuestDef.Controller pci : c.controllersOf("pci")) {
            Props props = pciControllers.remove(pci.index());
            if (props != null) {
                c.device(argv, props);
            }
        }
        pciControllers.values().forEach(props -> c.device(argv, props));
        usb(c, argv);
        for (GuestDef.Controller scsi : c.controllersOf("scsi")) {
            c.device(argv, scsiProps(c, scsi));
        }
        for (GuestDef.Controller sata : c.controllersOf("sata")) {
            if (!(c.q35 && sata.index() == 0)) {
                c.device(argv, Props.of("driver", "ahci").put("id", "sata" + sata.index()).putAll(c.pciProps(sata)));
            }
        }
        for (GuestDef.Controller vser : c.controllersOf("virtio-serial")) {
            c.device(argv, Props.of("driver", "virtio-serial-pci").put("id", "virtio-serial" + vser.index())
                .put("max_ports", vser.ports()).put("vectors", vser.vectors()).putAll(c.pciProps(vser)));
        }
        UsbPorts usbPorts = UsbPorts.of(c);
        for (GuestDef.Controller ccid : c.controllersOf("ccid")) {
            c.device(argv, Props.of("driver", "usb-ccid").put("id", "ccid" + ccid.index()).put("bus", "usb.0")
                .put("port", usbPorts.portOf(ccid)));
        }
    }

    private static void usb(BuildContext c, List<String> argv) {
        List<GuestDef.Controller> usb = c.controllersOf("usb");
        usb.sort(Comparator.comparingInt(GuestDef.Controller::index)
            .thenComparing(u -> u.masterStartPort() != null));
        for (GuestDef.Controller u : usb) {
            if ("none".equals(u.model())) {
                continue;
            }
            if (PciPlan.isPiix3Usb(u, c) && !c.caps.has("piix3-usb-uhci")) {
                argv.add("-usb");
                continue;
            }
            Props p = Props.of("driver", usbDriver(u.model()));
            if (u.ports() != null && u.model() != null && u.model().endsWith("xhci")) {
                p.put("p2", u.ports()).put("p3", u.ports());
            }
            if (u.masterStartPort() != null) {
                p.put("masterbus", "usb" + (u.index() == 0 ? "" : Integer.toString(u.index())) + ".0")
                    .put("firstport", u.masterStartPort());
            } else {
                p.put("id", u.index() == 0 ? "usb" : "usb" + u.index());
            }
            c.device(argv, p.putAll(c.pciProps(u)));
        }
    }

    /**
     * The PCI bridges, switch ports and expander buses of the definition, by index, with their {@code <target>}
     * settings; null for root buses and root ports (placed by {@link PciPlan}).
     */
    private static Props bridgeProps(GuestDef.Controller bridge) {
        String id = "pci." + bridge.index();
        java.util.Map<String, String> t = bridge.target();
        return switch (String.valueOf(bridge.model())) {
            case "pcie-to-pci-bridge" -> Props.of("driver", "pcie-pci-bridge").put("id", id);
            case "pci-bridge" -> Props.of("driver", "pci-bridge").put("chassis_nr", number(t.get("chassisNr"),
                bridge.index())).put("id", id);
            case "dmi-to-pci-bridge" -> Props.of("driver", "i82801b11-bridge").put("id", id);
            case "pcie-switch-upstream-port" -> Props.of("driver", "x3130-upstream").put("id", id);
            case "pcie-switch-downstream-port" -> Props.of("driver", "xio3130-downstream")
                .put("port", number(t.get("port"), 0)).put("chassis", number(t.get("chassis"), bridge.index()))
                .put("id", id).put("hotplug", hotplug(t));
            case "pci-expander-bus", "pcie-expander-bus" -> Props.of("driver",
                    "pci-expander-bus".equals(bridge.model()) ? "pxb" : "pxb-pcie")
                .put("bus_nr", number(t.get("busNr"), 0)).put("id", id)
                .put("numa_node", t.containsKey("node") ? number(t.get("node"), 0) : null);
            default -> null;
        };
    }

    /** A port's {@code <target hotplug>} as QEMU's property; null (left to QEMU) when not given. */
    private static Boolean hotplug(java.util.Map<String, String> target) {
        String value = target.get("hotplug");
        return value == null ? null : "on".equals(value);
    }

    /** A target attribute as a number (decimal or 0x hex); the fallback when absent or unreadable. */
    private static long number(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        String v = text.strip();
        try {
            return v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String usbDriver(String model) {
        if (model == null) {
            return "piix3-usb-uhci";
        }
        return switch (model) {
            case "piix3-uhci" -> "piix3-usb-uhci";
            case "piix4-uhci" -> "piix4-usb-uhci";
            case "ehci" -> "usb-ehci";
            case "ich9-ehci1" -> "ich9-usb-ehci1";
            case "ich9-uhci1" -> "ich9-usb-uhci1";
            case "ich9-uhci2" -> "ich9-usb-uhci2";
            case "ich9-uhci3" -> "ich9-usb-uhci3";
            case "nec-xhci" -> "nec-usb-xhci";
            case "pci-ohci" -> "pci-ohci";
            default -> model;
        };
    }

    private static Props scsiProps(BuildContext c, GuestDef.Controller scsi) {
        String model = scsi.model() == null ? "lsilogic" : scsi.model();
        String id = "scsi" + scsi.index();
        return switch (model) {
            case "ibmvscsi" -> Props.of("driver", "spapr-vscsi").put("id", id).put("reg", 0x2000);
            default -> Props.of("driver", scsiDriver(model)).put("id", id).putAll(c.pciProps(scsi));
        };
    }

    private static String scsiDriver(String model) {
        return switch (model) {
            case "lsisas1078" -> "megasas";
            case "lsisas1068" -> "mptsas1068";
            case "vmpvscsi" -> "pvscsi";
            case "virtio-scsi" -> "virtio-scsi-pci";
            default -> "lsi";
        };
    }
}
