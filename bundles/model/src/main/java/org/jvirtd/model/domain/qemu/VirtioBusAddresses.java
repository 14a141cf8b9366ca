package org.jvirtd.model.domain.qemu;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Places virtio devices on the non-PCI transports: channel I/O (CCW) devnos on s390-ccw machines and virtio-mmio
 * on ARM and RISC-V boards without a usable PCIe topology.
 */
final class VirtioBusAddresses {
    private VirtioBusAddresses() {
    }

    static void apply(Guest guest) {
        if (guest.isS390Ccw()) {
            if (guest.caps.has("vfio-ccw")) {
                for (XmlNode h : guest.list("hostdev")) {
                    if ("mdev".equals(h.attr("type")) && "vfio-ccw".equals(h.attr("model"))) {
                        prime(h, "ccw");
                    }
                }
            }
            primeVirtio(guest, "ccw");
            assignCcw(guest);
        }
        mmio(guest);
    }

    private static void mmio(Guest guest) {
        boolean board = guest.isArmVirt() || guest.isRiscvVirt() || guest.machine().startsWith("vexpress-");
        if (!(guest.isArm() || guest.isRiscv()) || !board) {
            return;
        }
        boolean hasMmio = DeviceOrder.devices(guest).stream()
            .anyMatch(d -> d.child("address") != null && "virtio-mmio".equals(d.child("address").attr("type")));
        boolean pcie = PciAssigner.hasRoot(guest, "pcie-root")
            && (guest.caps.has("pcie-root-port") || guest.caps.has("ioh3420"));
        if (!(pcie && !hasMmio) && guest.caps.has("virtio-mmio")) {
            primeVirtio(guest, "virtio-mmio");
        }
    }

    /** Declares the address type of every virtio device that has no address yet. */
    private static void primeVirtio(Guest guest, String type) {
        for (XmlNode disk : guest.list("disk")) {
            if (disk.child("target") != null && "virtio".equals(disk.child("target").attr("bus"))) {
                prime(disk, type);
            }
        }
        for (XmlNode net : guest.list("interface")) {
            String model = PciConnectFlags.modelType(net);
            if (model != null && model.startsWith("virtio")) {
                prime(net, type);
            }
        }
        for (XmlNode video : guest.list("video")) {
            if ("virtio".equals(PciConnectFlags.modelType(video))) {
                prime(video, type);
            }
        }
        for (XmlNode input : guest.list("input")) {
            if ("virtio".equals(input.attr("bus"))) {
                prime(input, type);
            }
        }
        for (XmlNode c : guest.list("controller")) {
            if ("virtio-serial".equals(c.attr("type")) || "scsi".equals(c.attr("type"))) {
                prime(c, type);
            }
        }
        for (XmlNode h : guest.list("hostdev")) {
            if ("subsystem".equals(h.attr("mode")) && "scsi_host".equals(h.attr("type"))) {
                prime(h, type);
            }
        }
        guest.list("memballoon").stream().filter(m -> !"none".equals(m.attr("model"))).forEach(m -> prime(m, type));
        guest.list("rng").forEach(r -> prime(r, type));
        guest.list("memory").stream().filter(m -> List.of("virtio-pmem", "virtio-mem").contains(m.attr("model")))
            .forEach(m -> prime(m, type));
        if (type.equals("ccw")) {
            guest.list("filesystem").forEach(f -> prime(f, type));
            guest.list("vsock").forEach(v -> prime(v, type));
        }
        guest.list("crypto").forEach(c -> prime(c, type));
    }

    private static void prime(XmlNode device, String type) {
        if (device.child("address") == null) {
            device.children().add(Nodes.element("address", "type", type));
        }
    }

    private static void assignCcw(Guest guest) {
        Set<Integer> used = new HashSet<>();
        List<XmlNode> all = DeviceOrder.devices(guest);
        for (XmlNode d : all) {
            XmlNode a = d.child("address");
            if (a != null && "ccw".equals(a.attr("type")) && a.has("devno")) {
                if (!used.add(key(a))) {
                    throw Errors.xml(ErrorDomain.DOMAIN, "The CCW devno '" + a.attr("cssid") + "." + a.attr("ssid")
                        + "." + a.attr("devno") + "' is in use already");
                }
            }
        }
        int next = 0xfe << 20;
        for (XmlNode d : all) {
            XmlNode a = d.child("address");
            if (a == null || !"ccw".equals(a.attr("type")) || a.has("devno")) {
                continue;
            }
            while (used.contains(next)) {
                next++;
            }
            used.add(next);
            a.set("cssid", "0x" + Integer.toHexString(next >> 20)).set("ssid", "0x" + Integer.toHexString((next >> 16) & 0xf))
                .set("devno", String.format("0x%04x", next & 0xffff));
        }
    }

    private static int key(XmlNode a) {
        return (ImplicitDevices.number(a.attr("cssid")) << 20) | (ImplicitDevices.number(a.attr("ssid")) << 16)
            | ImplicitDevices.number(a.attr("devno"));
    }
}
