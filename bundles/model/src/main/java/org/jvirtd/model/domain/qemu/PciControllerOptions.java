package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * The settings libvirt fills in for PCI controllers once they have addresses: the QEMU device model name,
 * chassis and port numbers, expander bus numbers and pSeries PHB target indexes.
 */
final class PciControllerOptions {
    private PciControllerOptions() {
    }

    static void apply(Guest guest, XmlNode c) {
        String model = String.valueOf(c.attr("model"));
        String name = modelName(guest, model);
        if (name != null && c.child("model") == null) {
            c.insert(0, Nodes.element("model", "name", name));
        }
        PciAddress addr = PciAddress.of(c);
        int idx = Guest.index(c);
        switch (model) {
            case "pci-bridge" -> targetIfMissing(c, "chassisNr", Integer.toString(idx));
            case "pcie-root-port" -> {
                targetIfMissing(c, "chassis", Integer.toString(idx));
                if (addr != null) {
                    targetIfMissing(c, "port", "0x" + Integer.toHexString((addr.slot << 3) + addr.function));
                }
            }
            case "pcie-switch-downstream-port" -> {
                targetIfMissing(c, "chassis", Integer.toString(idx));
                if (addr != null) {
                    targetIfMissing(c, "port", "0x" + Integer.toHexString(addr.slot));
                }
            }
            case "pci-expander-bus", "pcie-expander-bus" -> {
                int busNr = newBusNr(guest);
                if (busNr >= 0) {
                    targetIfMissing(c, "busNr", Integer.toString(busNr));
                }
            }
            case "pci-root" -> {
                if (guest.isPSeries()) {
                    targetIfMissing(c, "index", Integer.toString(idx == 0 ? 0 : newTargetIndex(guest)));
                }
            }
            default -> {
            }
        }
    }

    private static String modelName(Guest guest, String model) {
        return switch (model) {
            case "pci-bridge" -> "pci-bridge";
            case "dmi-to-pci-bridge" -> "i82801b11-bridge";
            case "pcie-to-pci-bridge" -> "pcie-pci-bridge";
            case "pcie-root-port" -> guest.caps.has("pcie-root-port") ? "pcie-root-port" : "ioh3420";
            case "pcie-switch-upstream-port" -> "x3130-upstream";
            case "pcie-switch-downstream-port" -> "xio3130-downstream";
            case "pci-expander-bus" -> "pxb";
            case "pcie-expander-bus" -> "pxb-pcie";
            case "pci-root" -> guest.isPSeries() ? "spapr-pci-host-bridge" : null;
            default -> null;
        };
    }

    private static void targetIfMissing(XmlNode c, String attribute, String value) {
        XmlNode target = Nodes.childOrNew(c, "target", List.of("model"));
        if (!target.has(attribute)) {
            target.set(attribute, value);
        }
        target.orderAttributes(List.of("chassisNr", "chassis", "port", "busNr", "index", "hotplug", "memReserve"));
    }

    private static int newBusNr(Guest guest) {
        int lowest = 256;
        for (XmlNode c : guest.controllers("pci")) {
            XmlNode target = c.child("target");
            if (target != null && target.has("busNr")) {
                lowest = Math.min(lowest, ImplicitDevices.number(target.attr("busNr")));
            }
        }
        return lowest <= 2 ? -1 : lowest - 2;
    }

    private static int newTargetIndex(Guest guest) {
        for (int candidate = 1; candidate <= 31; candidate++) {
            int wanted = candidate;
            boolean used = guest.controllers("pci").stream()
                .filter(c -> "pci-root".equals(c.attr("model")) && c.child("target") != null)
                .anyMatch(c -> c.child("target").has("index")
                    && ImplicitDevices.number(c.child("target").attr("index")) == wanted);
            if (!used) {
                return candidate;
            }
        }
        return -1;
    }
}
