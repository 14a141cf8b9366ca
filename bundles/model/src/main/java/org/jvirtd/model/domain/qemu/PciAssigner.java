package org.jvirtd.model.domain.qemu;

import static org.jvirtd.model.domain.qemu.PciConnect.*;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * Assigns PCI addresses the way libvirt's QEMU driver does: a dry run finds out which buses are missing and adds
 * their controllers, then the real run places the chipset's fixed devices and every device without an address
 * in libvirt's order, and the PCI controllers get their model names, chassis and port numbers.
 */
final class PciAssigner {
    private final Guest guest;
    private final Map<XmlNode, Integer> flags = new IdentityHashMap<>();

    private PciAssigner(Guest guest) {
        this.guest = guest;
    }

    static void apply(Guest guest) {
        new PciAssigner(guest).assign();
    }

    static boolean hasRoot(Guest guest, String model) {
        XmlNode root = guest.controller("pci", 0);
        return root != null && model.equals(root.attr("model"));
    }

    private void assign() {
        int maxIdx = guest.controllers("pci").stream().mapToInt(Guest::index).max().orElse(-1);
        int nbuses = maxIdx + 1;
        PciConnectFlags connect = new PciConnectFlags(guest);
        for (XmlNode d : DeviceOrder.devices(guest)) {
            flags.put(d, connect.of(d));
        }
        if (nbuses > 0) {
            PciAddressSet dry = create(nbuses, true);
            new PciChipset(guest, dry, this::flagsOf).validate();
            if (hasRoot(guest, "pci-root") && dry.buses.stream().anyMatch(b -> !b.isFullyReserved())) {
                dry.reserveNext(AUTOASSIGN | PCI_DEVICE, -1);
            }
            new PciSlots(guest, dry, this::flagsOf).assign();
            if (maxIdx <= 0 && dry.nbuses() > maxIdx + 1 && hasRoot(guest, "pcie-root")) {
                dry.reserveNext(AUTOASSIGN | PCIE_DEVICE, -1);
            }
            for (int i = 1; i < dry.nbuses(); i++) {
                PciAddressSet.Bus bus = dry.buses.get(i);
                if (!guest.addControllerIfMissing("pci", i, bus.model)) {
                    continue;
                }
                XmlNode added = guest.controller("pci", i);
                flags.put(added, connect.of(added));
                if (!bus.model.equals("pci-root") && !bus.model.equals("pcie-root")) {
                    dry.reserveNext(flagsOf(added), -1);
                }
            }
            nbuses = dry.nbuses();
        }
        PciAddressSet addrs = create(nbuses, false);
        if (guest.supportsPci()) {
            new PciChipset(guest, addrs, this::flagsOf).validate();
            new PciSlots(guest, addrs, this::flagsOf).assign();
            setAllMulti();
            ZpciAddresses.apply(guest);
            guest.controllers("pci").forEach(c -> PciControllerOptions.apply(guest, c));
        }
    }

    int flagsOf(XmlNode device) {
        return flags.getOrDefault(device, 0);
    }

    private PciAddressSet create(int nbuses, boolean dryRun) {
        PciAddressSet addrs = new PciAddressSet(nbuses, dryRun);
        addrs.multipleRoots = guest.isPSeries();
        addrs.pcieToPciBridgeSupported = guest.caps.has("pcie-pci-bridge");
        boolean pcieRoot = false;
        for (XmlNode c : guest.controllers("pci")) {
            int idx = Guest.index(c);
            if (c.attr("model") == null || idx < 0 || idx >= nbuses) {
                continue;
            }
            XmlNode target = c.child("target");
            boolean hotplug = target == null || !"off".equals(target.attr("hotplug"));
            PciAddressSet.setModel(addrs.buses.get(idx), c.attr("model"), hotplug);
            pcieRoot |= "pcie-root".equals(c.attr("model"));
        }
        if (nbuses > 0 && addrs.buses.get(0).model == null) {
            PciAddressSet.setModel(addrs.buses.get(0), "pci-root", true);
        }
        String defaultModel = guest.isPSeries() ? "pci-root" : pcieRoot ? "pcie-root-port" : "pci-bridge";
        for (int i = 1; i < nbuses; i++) {
            if (addrs.buses.get(i).model == null) {
                PciAddressSet.setModel(addrs.buses.get(i), defaultModel, true);
            }
        }
        for (XmlNode d : DeviceOrder.devices(guest)) {
            collect(addrs, d);
        }
        return addrs;
    }

    private void collect(PciAddressSet addrs, XmlNode device) {
        PciAddress a = PciAddress.of(device);
        if (a == null || a.isEmpty()) {
            return;
        }
        int f = flagsOf(device);
        if (f == 0) {
            f = PCI_DEVICE;
        }
        if (device.is("controller") && a.domain == 0 && a.bus == 0 && a.slot == 1) {
            String type = device.attr("type");
            String model = device.attr("model");
            boolean piix3 = ("ide".equals(type) && Guest.index(device) == 0 && a.function == 1)
                || ("usb".equals(type) && Guest.index(device) == 0 && (model == null || model.equals("piix3-uhci"))
                && a.function == 2);
            if (piix3) {
                return;
            }
        }
        addrs.reserve(a, f, true);
    }

    /** Marks function 0 of every slot with more functions in use as multifunction. */
    private void setAllMulti() {
        List<XmlNode> all = DeviceOrder.devices(guest);
        for (XmlNode d : all) {
            PciAddress a = PciAddress.of(d);
            if (a == null || a.function == 0) {
                continue;
            }
            for (XmlNode other : all) {
                PciAddress o = PciAddress.of(other);
                if (o != null && o.sameSlot(a) && o.function == 0) {
                    if (o.multi == null) {
                        o.multi = "on";
                        o.writeTo(other);
                    }
                    break;
                }
            }
        }
    }
}
