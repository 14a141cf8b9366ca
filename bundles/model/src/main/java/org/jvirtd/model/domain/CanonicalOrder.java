package org.jvirtd.model.domain;

import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * The order libvirt's formatter writes whatever order the input had: every device's device-info children
 * ({@code boot}, {@code alias}, {@code master}, {@code acpi}, {@code rom}, {@code address}) last, a disk's and a
 * character device's children in formatter order, the attributes of the common device elements in formatter order, and device addresses in
 * their canonical spelling ({@code 0x0000}-style PCI and CCW numbers).
 */
final class CanonicalOrder {
    /** libvirt's device-info block, written after a device's own children. */
    private static final List<String> DEVICE_INFO = List.of("boot", "alias", "master", "acpi", "rom", "address");
    /** A disk's children in the formatter's order; the device-info block follows. */
    private static final List<String> DISK_CHILDREN = List.of("driver", "auth", "source", "backingStore",
        "backenddomain", "geometry", "blockio", "mirror", "target", "iotune", "readonly", "shareable", "transient",
        "serial", "wwn", "vendor", "product", "encryption");
    private static final List<String> CHARDEVS = List.of("serial", "parallel", "console", "channel");
    /** A character device's children in the formatter's order: host side, then guest side. */
    private static final List<String> CHARDEV_CHILDREN = List.of("source", "protocol", "log", "target");
    private static final List<String> BACKING_STORE_CHILDREN = List.of("format", "source", "backingStore");
    private static final Map<String, List<String>> DEVICE_ATTRIBUTES = Map.of(
        "disk", List.of("type", "device", "model", "rawio", "sgio", "snapshot"),
        "interface", List.of("type", "managed", "trustGuestRxFilters"),
        "hostdev", List.of("mode", "type", "managed", "sgio", "rawio", "model", "display", "ramfb"),
        "controller", List.of("type", "index", "model", "ports", "vectors", "maxGrantFrames", "maxEventChannels"));
    private static final Map<String, List<String>> DISK_CHILD_ATTRIBUTES = Map.of(
        "target", List.of("dev", "bus", "tray", "removable", "rotation_rate"),
        "source", List.of("file", "dev", "dir", "protocol", "name", "pool", "volume", "mode", "type", "managed",
            "namespace", "query", "tls", "tlsHostname", "index", "startupPolicy"));
    private static final Map<String, List<String>> ADDRESS_ATTRIBUTES = Map.of(
        "pci", List.of("type", "domain", "bus", "slot", "function", "multifunction"),
        "drive", List.of("type", "controller", "bus", "target", "unit"),
        "virtio-serial", List.of("type", "controller", "bus", "port"),
        "ccid", List.of("type", "controller", "slot"),
        "usb", List.of("type", "bus", "port"),
        "spapr-vio", List.of("type", "reg"),
        "ccw", List.of("type", "cssid", "ssid", "devno"),
        "isa", List.of("type", "iobase", "irq"),
        "dimm", List.of("type", "slot", "base"));

    private CanonicalOrder() {
    }

    static void apply(XmlNode devices) {
        for (XmlNode device : devices.children()) {
            if (device.namespace() != null || device.is("emulator")) {
                continue;
            }
            if (device.is("disk")) {
                DomainCanonicalizer.sortByOrder(device, DISK_CHILDREN);
                for (XmlNode layer = device.child("backingStore"); layer != null; layer = layer.child("backingStore")) {
                    DomainCanonicalizer.sortByOrder(layer, BACKING_STORE_CHILDREN);
                }
                XmlNode mirror = device.child("mirror");
                if (mirror != null) {
                    DomainCanonicalizer.sortByOrder(mirror, BACKING_STORE_CHILDREN);
                }
                for (XmlNode child : device.children()) {
                    List<String> order = DISK_CHILD_ATTRIBUTES.get(child.name());
                    if (order != null) {
                        child.orderAttributes(order);
                    }
                }
            }
            if (CHARDEVS.contains(device.name())) {
                DomainCanonicalizer.sortByOrder(device, CHARDEV_CHILDREN);
                XmlNode source = device.child("source");
                if ("qemu-vdagent".equals(device.attr("type")) && source != null) {
                    DomainCanonicalizer.sortByOrder(source, List.of("clipboard", "mouse"));
                }
            }
            deviceInfoLast(device);
            List<String> attributes = DEVICE_ATTRIBUTES.get(device.name());
            if (attributes != null) {
                device.orderAttributes(attributes);
            }
            XmlNode address = device.child("address");
            if (address != null) {
                canonicalAddress(address);
            }
        }
    }

    /**
     * Moves the device-info children behind the device's own, keeping the relative order of the rest; a memory
     * balloon's {@code <driver>} (its virtio options) is the one element libvirt writes after them.
     */
    private static void deviceInfoLast(XmlNode device) {
        List<XmlNode> children = device.children();
        boolean balloon = device.is("memballoon");
        List<XmlNode> sorted = children.stream()
            .sorted(java.util.Comparator.comparingInt(c -> infoRank(c, balloon)))
            .toList();
        children.clear();
        children.addAll(sorted);
    }

    private static int infoRank(XmlNode child, boolean balloon) {
        if (child.namespace() != null) {
            return 0;
        }
        if (balloon && child.is("driver")) {
            return DEVICE_INFO.size() + 1;
        }
        int index = DEVICE_INFO.indexOf(child.name());
        return index < 0 ? 0 : index + 1;
    }

    /** Attribute order of the address's type, and PCI/CCW numbers spelled as libvirt writes them. */
    static void canonicalAddress(XmlNode address) {
        String type = address.attr("type");
        List<String> order = type == null ? null : ADDRESS_ATTRIBUTES.get(type);
        if (order == null) {
            return;
        }
        if (type.equals("pci")) {
            hex(address, "domain", "0x%04x", true);
            hex(address, "bus", "0x%02x", true);
            hex(address, "slot", "0x%02x", true);
            hex(address, "function", "0x%x", true);
        } else if (type.equals("ccw") && address.has("devno")) {
            hex(address, "cssid", "0x%x", false);
            hex(address, "ssid", "0x%x", false);
            hex(address, "devno", "0x%04x", false);
        }
        address.orderAttributes(order);
    }

    /**
     * Rewrites one number attribute in {@code format}; an absent one becomes 0 when {@code fill}. A value that is
     * not a number is left as it is (the parser reports it).
     */
    private static void hex(XmlNode address, String attribute, String format, boolean fill) {
        String text = address.attr(attribute);
        if (text == null) {
            if (fill) {
                address.set(attribute, String.format(format, 0));
            }
            return;
        }
        Long value = number(text.strip());
        if (value != null) {
            address.set(attribute, String.format(format, value));
        }
    }

    private static Long number(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseLong(text.substring(2), 16);
            }
            if (text.length() > 1 && text.startsWith("0")) {
                return Long.parseLong(text.substring(1), 8);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
