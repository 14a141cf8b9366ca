package org.jvirtd.model.domain.qemu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Gives every device that wants a PCI address the next free slot, in libvirt's order: PCI controllers,
 * filesystems, network interfaces, sound cards, other controllers (USB2 companions share a slot), virtio disks,
 * host devices, the balloon, RNGs, watchdogs, video, shared memory, inputs, serial ports, IOMMU, vsock, memory,
 * crypto and panic devices.
 */
final class PciSlots {
    private static final List<String> USB2 = List.of("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3");

    private final Guest guest;
    private final PciAddressSet addrs;
    private final ToIntFunction<XmlNode> flags;

    PciSlots(Guest guest, PciAddressSet addrs, ToIntFunction<XmlNode> flags) {
        this.guest = guest;
        this.addrs = addrs;
        this.flags = flags;
    }

    void assign() {
        for (XmlNode c : guest.controllers("pci")) {
            String model = String.valueOf(c.attr("model"));
            if (!model.equals("pci-root") && !model.equals("pcie-root")) {
                next(c);
            }
        }
        guest.list("filesystem").forEach(this::next);
        guest.list("interface").stream().filter(n -> !"hostdev".equals(n.attr("type"))).forEach(this::next);
        guest.list("sound").forEach(this::next);
        guest.list("controller").forEach(this::controller);
        for (XmlNode disk : guest.list("disk")) {
            XmlNode target = disk.child("target");
            if (target == null || !"virtio".equals(target.attr("bus")) || PciAddress.isPresent(disk)) {
                continue;
            }
            XmlNode address = disk.child("address");
            String type = address == null ? null : address.attr("type");
            if ("ccw".equals(type) || ("virtio-mmio".equals(type) && guest.caps.has("virtio-mmio"))) {
                continue;
            }
            if (!PciAddress.isWanted(disk)) {
                throw Errors.unsupported(ErrorDomain.QEMU, "virtio disk cannot have an address of type '" + type + "'");
            }
            next(disk);
        }
        // libvirt keeps an <interface type='hostdev'> among the host devices, ahead of the <hostdev> elements.
        List<XmlNode> hostdevs = new ArrayList<>(guest.list("interface").stream()
            .filter(n -> "hostdev".equals(n.attr("type"))).toList());
        hostdevs.addAll(guest.list("hostdev"));
        for (XmlNode h : hostdevs) {
            XmlNode address = h.child("address");
            boolean pciKind = h.is("interface") || "pci".equals(h.attr("type")) || "scsi_host".equals(h.attr("type"))
                || ("mdev".equals(h.attr("type")) && "vfio-pci".equals(h.attr("model")));
            if (!pciKind || (address != null && "unassigned".equals(address.attr("type")))) {
                continue;
            }
            next(h);
        }
        guest.list("memballoon").forEach(this::next);
        guest.list("rng").forEach(this::next);
        guest.list("watchdog").forEach(this::next);
        guest.list("video").forEach(this::next);
        guest.list("shmem").forEach(this::next);
        guest.list("input").forEach(this::next);
        guest.list("serial").forEach(this::next);
        guest.list("iommu").forEach(this::next);
        guest.list("vsock").forEach(this::next);
        guest.list("memory").forEach(this::next);
        guest.list("crypto").forEach(this::next);
        guest.list("panic").forEach(this::next);
    }

    /** Reserves a slot for a device that needs PCI and has no address yet. */
    private void next(XmlNode device) {
        int f = flags.applyAsInt(device);
        if (f != 0 && PciAddress.isWanted(device)) {
            addrs.reserveNext(device, f, -1);
        }
    }

    private void controller(XmlNode c) {
        String type = String.valueOf(c.attr("type"));
        String model = c.attr("model");
        boolean skip = type.equals("pci") || type.equals("fdc") || type.equals("ccid")
            || (type.equals("ide") && Guest.index(c) == 0) || (type.equals("usb") && "none".equals(model))
            || (type.equals("scsi") && "ncr53c90".equals(model));
        if (skip || !PciAddress.isWanted(c) || flags.applyAsInt(c) == 0) {
            return;
        }
        if (!type.equals("usb") || !USB2.contains(model)) {
            next(c);
            return;
        }
        PciAddress found = null;
        for (XmlNode other : guest.controllers("usb")) {
            if (USB2.contains(other.attr("model")) && Guest.index(other) == Guest.index(c)
                && PciAddress.isPresent(other)) {
                found = PciAddress.of(other);
                break;
            }
        }
        int function = USB2.indexOf(model) == 0 ? 7 : USB2.indexOf(model) - 1;
        String multi = model.equals("ich9-uhci1") ? "on" : null;
        if (found != null) {
            found.function = function;
            found.multi = multi;
            addrs.reserve(found, flags.applyAsInt(c), true);
            found.writeTo(c);
        } else {
            PciAddress a = addrs.reserveNext(c, flags.applyAsInt(c), function);
            if (!addrs.dryRun) {
                a.multi = multi;
                a.writeTo(c);
            }
        }
    }
}
