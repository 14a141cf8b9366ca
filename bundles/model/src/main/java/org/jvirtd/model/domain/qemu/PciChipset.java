package org.jvirtd.model.domain.qemu;

import static org.jvirtd.model.domain.qemu.PciConnect.*;

import java.util.List;
import java.util.function.ToIntFunction;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The fixed PCI addresses of the i440FX (PIIX3) and Q35 (ICH9) chipsets: integrated IDE, USB and SATA
 * controllers, the bridges libvirt does not model, and the slot QEMU gives the first video adapter.
 */
final class PciChipset {
    private final Guest guest;
    private final PciAddressSet addrs;
    private final ToIntFunction<XmlNode> flags;

    PciChipset(Guest guest, PciAddressSet addrs, ToIntFunction<XmlNode> flags) {
        this.guest = guest;
        this.addrs = addrs;
        this.flags = flags;
    }

    void validate() {
        if (guest.isI440fx()) {
            piix3();
        }
        if (guest.isQ35()) {
            q35();
        }
    }

    private void piix3() {
        int f = AUTOASSIGN | PCI_DEVICE;
        for (XmlNode c : guest.list("controller")) {
            String type = c.attr("type");
            PciAddress fixed;
            String message;
            if ("ide".equals(type) && Guest.index(c) == 0) {
                fixed = new PciAddress(0, 1, 1);
                message = "Primary IDE controller must have PCI address 0:0:1.1";
            } else if ("usb".equals(type) && Guest.index(c) == 0
                && (c.attr("model") == null || "piix3-uhci".equals(c.attr("model")))) {
                fixed = new PciAddress(0, 1, 2);
                message = "PIIX3 USB controller at index 0 must have PCI address 0:0:1.2";
            } else {
                continue;
            }
            pin(c, fixed, message);
            if (addrs.nbuses() > 0) {
                addrs.reserve(fixed, f, true);
            }
        }
        if (addrs.nbuses() > 0) {
            addrs.reserve(new PciAddress(0, 1, 0), f, true);
            addrs.reserve(new PciAddress(0, 1, 3), f, true);
        }
        primaryVideo(2, f);
    }

    private void q35() {
        int f = PCIE_DEVICE;
        for (XmlNode c : guest.list("controller")) {
            String type = String.valueOf(c.attr("type"));
            if (type.equals("sata") && Guest.index(c) == 0) {
                pin(c, new PciAddress(0, 0x1f, 2), "Primary SATA controller must have PCI address 0:0:1f.2");
            } else if (type.equals("usb") && "ich9-uhci1".equals(c.attr("model")) && c.child("address") == null) {
                for (int slot : List.of(0x1d, 0x1a)) {
                    PciAddress a = new PciAddress(0, slot, 0);
                    if (!addrs.slotInUse(a)) {
                        addrs.reserve(a, f, true);
                        a.multi = "on";
                        a.writeTo(c);
                        break;
                    }
                }
            } else if (type.equals("pci") && "dmi-to-pci-bridge".equals(c.attr("model"))
                && c.child("address") == null) {
                PciAddress a = new PciAddress(0, 0x1e, 0);
                if (!addrs.slotInUse(a)) {
                    addrs.reserve(a, f, true);
                    a.writeTo(c);
                }
            }
        }
        if (addrs.nbuses() > 0) {
            PciAddress lpc = new PciAddress(0, 0x1f, 0);
            lpc.multi = "on";
            addrs.reserve(lpc, f, true);
            addrs.reserve(new PciAddress(0, 0x1f, 3), f, true);
        }
        primaryVideo(1, f);
        PciAddress audio = new PciAddress(0, 0x1b, 0);
        if (!addrs.slotInUse(audio)) {
            for (XmlNode sound : guest.list("sound")) {
                if ("ich9".equals(sound.attr("model")) && PciAddress.isWanted(sound)) {
                    addrs.reserve(audio, f, true);
                    audio.writeTo(sound);
                    break;
                }
            }
        }
    }

    private static void pin(XmlNode c, PciAddress fixed, String message) {
        if (PciAddress.isPresent(c)) {
            PciAddress a = PciAddress.of(c);
            if (!(a.sameSlot(fixed) && a.function == fixed.function)) {
                throw Errors.internal(ErrorDomain.QEMU, message);
            }
        } else {
            fixed.writeTo(c);
        }
    }

    private void primaryVideo(int slot, int f) {
        List<XmlNode> videos = guest.list("video");
        if (videos.isEmpty()) {
            return;
        }
        XmlNode primary = videos.get(0);
        String type = PciConnectFlags.modelType(primary);
        if ("none".equals(type) || "ramfb".equals(type) || !PciAddress.isWanted(primary)) {
            return;
        }
        PciAddress a = new PciAddress(0, slot, 0);
        addrs.validate(a, f, true);
        if (addrs.slotInUse(a)) {
            addrs.reserveNext(primary, flags.applyAsInt(primary), -1);
        } else {
            addrs.reserve(a, f, true);
            a.writeTo(primary);
        }
    }
}
