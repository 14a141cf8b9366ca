package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The QEMU driver's per-device defaults: disk driver and format, network, video, panic, controller, serial,
 * vsock and TPM models, and unmanaged host devices.
 */
final class DeviceDefaults {
    private static final List<String> NET_BEFORE_MODEL = List.of("mac", "source", "virtualport", "ip", "route",
        "script", "downscript", "backenddomain", "target", "guest");

    private DeviceDefaults() {
    }

    static void apply(Guest guest) {
        guest.list("disk").forEach(d -> disk(guest, d));
        guest.list("interface").forEach(n -> net(guest, n));
        guest.list("video").forEach(v -> VideoDefaults.apply(guest, v));
        guest.list("panic").stream().filter(p -> !p.has("model")).forEach(p -> p.set("model", panicModel(guest)));
        guest.list("controller").forEach(c -> controller(guest, c));
        guest.list("serial").forEach(s -> SerialDefaults.apply(guest, s));
        guest.list("vsock").stream().filter(v -> !v.has("model")).forEach(v -> v.set("model", "virtio"));
        guest.list("hostdev").forEach(DeviceDefaults::managed);
        if (guest.caps.has("vfio-pci.display")) {
            guest.list("hostdev").forEach(DeviceDefaults::mdevDisplayOff);
        }
        guest.list("tpm").forEach(t -> tpm(guest, t));
    }

    /**
     * The controller defaults again, for the controllers the implicit-device pass added (a SCSI controller
     * for SCSI disks): libvirt adds implicit devices before its per-device defaults run.
     */
    static void applyToAddedControllers(Guest guest) {
        guest.list("controller").forEach(c -> controller(guest, c));
    }

    static String panicModel(Guest guest) {
        if (guest.isPSeries()) {
            return "pseries";
        }
        return guest.isS390() ? "s390" : "isa";
    }

    private static void disk(Guest guest, XmlNode disk) {
        XmlNode driver = disk.child("driver");
        if (driver == null) {
            driver = new XmlNode("driver", null);
            disk.insert(0, driver);
        }
        if (!driver.has("name")) {
            driver.set("name", "qemu");
        }
        if (!driver.has("type") && !"volume".equals(disk.attr("type"))) {
            driver.set("type", "raw");
        }
        driver.orderAttributes(List.of("name", "type"));
        encryptionEngine(disk);
        encryptionEngine(disk.child("source"));
        encryptionEngine(disk);
        for (XmlNode b = disk.child("backingStore"); b != null; b = b.child("backingStore")) {
            encryptionEngine(b.child("source"));
        }
    }

    /** An {@code <encryption>} of a disk or its source is done by QEMU unless it says otherwise. */
    private static void encryptionEngine(XmlNode parent) {
        XmlNode encryption = parent == null ? null : parent.child("encryption");
        if (encryption != null && !encryption.has("engine")) {
            encryption.set("engine", "qemu");
            encryption.orderAttributes(List.of("format", "engine"));
        }
    }

    private static void net(Guest guest, XmlNode net) {
        XmlNode model = net.child("model");
        if (model != null && model.has("type")) {
            return;
        }
        String type = String.valueOf(net.attr("type"));
        String value;
        if (type.equals("vdpa") || type.equals("vhostuser")) {
            value = "virtio";
        } else if (type.equals("hostdev")) {
            return;
        } else {
            value = defaultNetModel(guest);
        }
        if (model == null) {
            model = Nodes.insertAfter(net, new XmlNode("model", null), NET_BEFORE_MODEL);
        }
        model.set("type", value);
    }

    private static String defaultNetModel(Guest guest) {
        if (guest.isS390() || guest.isRiscvVirt()) {
            return "virtio";
        }
        if (guest.isArm()) {
            if (guest.machine().equals("versatilepb")) {
                return "smc91c111";
            }
            return guest.isArmVirt() ? "virtio" : "lan9118";
        }
        if (guest.caps.has("rtl8139")) {
            return "rtl8139";
        }
        if (guest.caps.has("e1000")) {
            return "e1000";
        }
        return guest.caps.has("virtio-net") ? "virtio" : "rtl8139";
    }

    private static void controller(Guest guest, XmlNode c) {
        String type = String.valueOf(c.attr("type"));
        if (type.equals("scsi") && (!c.has("model") || "auto".equals(c.attr("model")))) {
            c.set("model", scsiModel(guest, c));
        } else if (type.equals("usb")) {
            if (!c.has("model")) {
                String model = usbModel(guest, c);
                if (model != null) {
                    c.set("model", model);
                }
            }
            if ("none".equals(c.attr("model"))) {
                c.removeIf(child -> child.is("address"));
            }
        }
        c.orderAttributes(List.of("type", "index", "model"));
    }

    private static String scsiModel(Guest guest, XmlNode c) {
        if (guest.isPSeries()) {
            return "ibmvscsi";
        }
        if (guest.isS390()) {
            return "virtio-scsi";
        }
        if (guest.caps.has("lsi")) {
            return "lsilogic";
        }
        if (guest.caps.has("virtio-scsi-pci")) {
            return "virtio-scsi";
        }
        throw Errors.internal(ErrorDomain.QEMU, "Unable to determine model for SCSI controller idx=" + c.attr("index"));
    }

    private static String usbModel(Guest guest, XmlNode c) {
        QemuCaps caps = guest.caps;
        String model = caps.has("piix3-usb-uhci") ? "piix3-uhci" : caps.has("pci-ohci") ? "pci-ohci" : null;
        if (guest.isS390()) {
            return c.child("address") == null ? "none" : model;
        }
        if (guest.isPpc64()) {
            return caps.has("pci-ohci") ? "pci-ohci" : null;
        }
        if (guest.arch().equals("aarch64")) {
            return caps.has("qemu-xhci") ? "qemu-xhci" : caps.has("nec-usb-xhci") ? "nec-xhci" : model;
        }
        return model;
    }

    /** A vfio-pci mediated device has no display unless it asks for one, where QEMU can give it one. */
    private static void mdevDisplayOff(XmlNode hostdev) {
        if ("subsystem".equals(hostdev.attr("mode")) && "mdev".equals(hostdev.attr("type"))
            && "vfio-pci".equals(hostdev.attr("model")) && !hostdev.has("display")) {
            hostdev.set("display", "off");
            hostdev.orderAttributes(List.of("mode", "type", "managed", "sgio", "rawio", "model", "display"));
        }
    }

    private static void managed(XmlNode hostdev) {
        if ("subsystem".equals(hostdev.attr("mode")) && !hostdev.has("managed")) {
            hostdev.set("managed", "no");
            hostdev.orderAttributes(List.of("mode", "type", "managed", "model", "display"));
        }
    }

    private static void tpm(Guest guest, XmlNode tpm) {
        if (!tpm.has("model")) {
            tpm.set("model", guest.isPpc64() ? "tpm-spapr" : "tpm-tis");
        }
        XmlNode backend = tpm.child("backend");
        if (backend != null && "emulator".equals(backend.attr("type")) && !backend.has("version")) {
            boolean tisOnX86 = "tpm-tis".equals(tpm.attr("model")) && guest.isX86();
            backend.set("version", tisOnX86 ? "1.2" : "2.0");
        }
    }
}
