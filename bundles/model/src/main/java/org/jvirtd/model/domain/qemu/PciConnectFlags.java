package org.jvirtd.model.domain.qemu;

import static org.jvirtd.model.domain.qemu.PciConnect.*;

import org.jvirtd.model.internal.XmlNode;

/**
 * What each kind of device needs to plug into on this guest: a conventional PCI slot, a PCI Express slot, or
 * (for virtio) whichever the QEMU binary's transitional-device support allows; 0 for devices without PCI.
 */
final class PciConnectFlags {
    private final int pciFlags = PCI_DEVICE | AUTOASSIGN;
    private final int pcieFlags;
    private final int virtioFlags;

    PciConnectFlags(Guest guest) {
        pcieFlags = PciAssigner.hasRoot(guest, "pcie-root") ? PCIE_DEVICE | AUTOASSIGN : pciFlags;
        virtioFlags = guest.caps.has("virtio-pci-non-transitional") ? pcieFlags : pciFlags;
    }

    int of(XmlNode d) {
        return switch (d.name()) {
            case "controller" -> controller(d);
            case "filesystem" -> filesystem(d);
            case "interface" -> net(d);
            case "sound" -> oneOf(d.attr("model"), "es1370", "ac97", "ich6", "ich9") ? pciFlags : 0;
            case "disk" -> d.child("target") != null && "virtio".equals(d.child("target").attr("bus"))
                ? virtio(d.attr("model")) : 0;
            case "hostdev" -> hostdev(d);
            case "memballoon" -> oneOf(d.attr("model"), "none", "xen") ? 0 : virtio(d.attr("model"));
            case "rng", "vsock" -> d.has("model") ? virtio(d.attr("model")) : 0;
            case "watchdog" -> "i6300esb".equals(d.attr("model")) ? pciFlags : 0;
            case "video" -> video(modelType(d));
            case "shmem" -> pciFlags;
            case "input" -> "virtio".equals(d.attr("bus")) ? virtio(d.attr("model")) : 0;
            case "serial" -> d.child("target") != null && "pci-serial".equals(d.child("target").attr("type"))
                ? pciFlags : 0;
            case "iommu" -> "virtio".equals(d.attr("model")) ? virtioFlags | INTEGRATED : 0;
            case "memory" -> oneOf(d.attr("model"), "virtio-pmem", "virtio-mem") ? virtioFlags : 0;
            case "crypto" -> "virtio".equals(d.attr("model")) ? pciFlags : 0;
            case "panic" -> "pvpanic".equals(d.attr("model")) ? pciFlags | INTEGRATED : 0;
            default -> 0;
        };
    }

    private int virtio(String model) {
        return "virtio-transitional".equals(model) ? pciFlags : virtioFlags;
    }

    private int controller(XmlNode c) {
        String model = c.attr("model");
        return switch (String.valueOf(c.attr("type"))) {
            case "pci" -> ofControllerModel(model);
            case "sata", "ide" -> pciFlags;
            case "usb" -> model == null ? pciFlags
                : oneOf(model, "nec-xhci", "qemu-xhci") ? pcieFlags
                : oneOf(model, "qusb1", "qusb2", "none") ? 0 : pciFlags;
            case "scsi" -> model == null || model.equals("ncr53c90") ? 0
                : oneOf(model, "virtio-scsi", "virtio-non-transitional") ? virtioFlags : pciFlags;
            case "virtio-serial" -> virtio(model);
            default -> 0;
        };
    }

    private int filesystem(XmlNode fs) {
        XmlNode driver = fs.child("driver");
        String type = driver == null ? null : driver.attr("type");
        if (type == null || type.equals("path") || type.equals("handle")) {
            return virtio(fs.attr("model"));
        }
        return type.equals("virtiofs") ? virtioFlags : 0;
    }

    private int net(XmlNode net) {
        String model = modelType(net);
        if ("hostdev".equals(net.attr("type"))) {
            return pcieFlags;
        }
        if ("usb-net".equals(model)) {
            return 0;
        }
        if (model == null) {
            return pcieFlags;
        }
        if (oneOf(model, "virtio", "virtio-non-transitional", "virtio-transitional")) {
            return virtio(model);
        }
        return oneOf(model, "e1000e", "igb") ? pcieFlags : pciFlags;
    }

    private int hostdev(XmlNode h) {
        String type = String.valueOf(h.attr("type"));
        boolean mdev = type.equals("mdev");
        if (!mdev && (!"subsystem".equals(h.attr("mode")) || !oneOf(type, "pci", "scsi_host"))) {
            return 0;
        }
        if (pciFlags == pcieFlags) {
            return pciFlags;
        }
        if (type.equals("scsi_host")) {
            return virtio(h.attr("model"));
        }
        return pcieFlags;
    }

    private int video(String type) {
        if (type == null) {
            return 0;
        }
        return switch (type) {
            case "virtio" -> virtioFlags;
            case "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels" -> pciFlags;
            case "bochs" -> pcieFlags;
            default -> 0;
        };
    }

    static String modelType(XmlNode device) {
        XmlNode model = device.child("model");
        return model == null ? null : model.attr("type");
    }

    private static boolean oneOf(String value, String... options) {
        for (String o : options) {
            if (o.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
