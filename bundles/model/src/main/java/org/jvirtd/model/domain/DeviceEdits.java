package org.jvirtd.model.domain;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Device changes of a persistent definition (virDomainAttach/Detach/UpdateDeviceFlags with AFFECT_CONFIG):
 * a device added, the device matching one removed (a disk by target, an interface by MAC address, any other
 * device by its whole element, addresses and aliases aside), a disk's medium replaced; refused with
 * libvirt's messages. The result is the domain document before the driver's post-parse fills in addresses.
 */
public final class DeviceEdits {
    private static final ErrorDomain D = ErrorDomain.DOMAIN;

    private DeviceEdits() {
    }

    /** The definition with the device added. */
    public static String attach(String domainXml, String deviceXml) {
        XmlNode root = DomainXml.parse(domainXml).document();
        XmlNode device = device(deviceXml);
        XmlNode devices = devices(root);
        if (device.is("disk")) {
            String target = target(device);
            if (findDisk(devices, target) != null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, D, "target " + target + " already exists");
            }
        }
        devices.children().add(device);
        return root.toTag().toString();
    }

    /** The definition without the device matching {@code deviceXml}. */
    public static String detach(String domainXml, String deviceXml) {
        XmlNode root = DomainXml.parse(domainXml).document();
        XmlNode device = device(deviceXml);
        XmlNode devices = devices(root);
        XmlNode match = switch (device.name()) {
            case "disk" -> {
                XmlNode disk = findDisk(devices, target(device));
                if (disk == null) {
                    throw new VirtException(ErrorCode.DEVICE_MISSING, D, "no target device " + target(device));
                }
                yield disk;
            }
            case "interface" -> findInterface(devices, device);
            default -> findSame(devices, device);
        };
        devices.removeIf(c -> c == match);
        return root.toTag().toString();
    }

    /**
     * The definition with a disk's medium (its {@code <source>}, read-only flag and driver) replaced by those
     * of {@code deviceXml}; other device kinds cannot be updated in a persistent definition here.
     */
    public static String update(String domainXml, String deviceXml) {
        XmlNode root = DomainXml.parse(domainXml).document();
        XmlNode device = device(deviceXml);
        if (!device.is("disk")) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, D, "persistent update of device '"
                + device.name() + "' is not supported");
        }
        XmlNode disk = findDisk(devices(root), target(device));
        if (disk == null) {
            throw new VirtException(ErrorCode.INVALID_ARG, D, "target " + target(device) + " doesn't exist.");
        }
        disk.removeIf(c -> c.is("source"));
        XmlNode source = device.child("source");
        if (source != null) {
            disk.insert(disk.children().indexOf(disk.child("target")), source.deepCopy());
        }
        return root.toTag().toString();
    }

    /**
     * The device element with {@code <alias name=...>} (virDomainDetachDeviceAlias), as XML, or libvirt's
     * "no device found with alias" error.
     */
    public static String byAlias(String domainXml, String alias) {
        XmlNode devices = DomainXml.parse(domainXml).document().child("devices");
        if (devices != null) {
            for (XmlNode device : devices.children()) {
                XmlNode name = device.child("alias");
                if (name != null && alias.equals(name.attr("name"))) {
                    return device.toTag().toString();
                }
            }
        }
        throw new VirtException(ErrorCode.DEVICE_MISSING, D, "no device found with alias " + alias);
    }

    /** The target of the disk an update or detach names. */
    public static String target(String deviceXml) {
        XmlNode device = device(deviceXml);
        return device.is("disk") ? target(device) : null;
    }

    private static XmlNode device(String deviceXml) {
        XmlNode device = XmlNode.parse(deviceXml, D, "device");
        if (device.is("disk") && (device.child("target") == null || device.child("target").attr("dev") == null)) {
            throw Errors.xml(D, "missing target information for device " + sourceOf(device));
        }
        return device;
    }

    private static String sourceOf(XmlNode disk) {
        XmlNode source = disk.child("source");
        if (source == null) {
            return "";
        }
        for (String attribute : List.of("file", "dev", "dir", "name", "volume")) {
            if (source.attr(attribute) != null) {
                return source.attr(attribute);
            }
        }
        return "";
    }

    private static XmlNode devices(XmlNode root) {
        XmlNode devices = root.child("devices");
        if (devices == null) {
            devices = new XmlNode("devices", null);
            root.children().add(devices);
        }
        return devices;
    }

    private static String target(XmlNode disk) {
        return disk.child("target").attr("dev");
    }

    private static XmlNode findDisk(XmlNode devices, String target) {
        return devices.children("disk").stream().filter(d -> d.child("target") != null
            && target.equals(d.child("target").attr("dev"))).findFirst().orElse(null);
    }

    /** An interface by MAC address (and PCI address or alias where the request gives them), as libvirt finds it. */
    private static XmlNode findInterface(XmlNode devices, XmlNode wanted) {
        String mac = wanted.child("mac") == null ? null : wanted.child("mac").attr("address");
        XmlNode wantedAddress = wanted.child("address");
        String alias = wanted.child("alias") == null ? null : wanted.child("alias").attr("name");
        List<XmlNode> matches = devices.children("interface").stream()
            .filter(i -> mac == null || i.child("mac") != null && mac.equalsIgnoreCase(i.child("mac").attr("address")))
            .filter(i -> wantedAddress == null || i.child("address") != null
                && i.child("address").attributes().equals(wantedAddress.attributes()))
            .filter(i -> alias == null || i.child("alias") != null && alias.equals(i.child("alias").attr("name")))
            .toList();
        if (matches.size() > 1 && mac != null && wantedAddress == null && alias == null) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, D, "multiple devices matching MAC address " + mac
                + " found");
        }
        if (matches.isEmpty()) {
            throw new VirtException(ErrorCode.DEVICE_MISSING, D, "no device found at address '"
                + (wantedAddress == null ? "(<null>)" : pci(wantedAddress)) + "' matching MAC address '"
                + (mac == null ? "(<null>)" : mac) + "' and alias '" + (alias == null ? "(<null>)" : alias) + "'");
        }
        return matches.get(0);
    }

    private static String pci(XmlNode address) {
        return address.attr("domain") + ":" + address.attr("bus") + ":" + address.attr("slot") + "."
            + address.attr("function");
    }

    /** Any other device: the same element, its address and alias (which the request may lack) aside. */
    private static XmlNode findSame(XmlNode devices, XmlNode wanted) {
        String key = comparable(wanted);
        for (XmlNode candidate : devices.children(wanted.name())) {
            if (comparable(candidate).equals(key)) {
                return candidate;
            }
        }
        throw new VirtException(ErrorCode.DEVICE_MISSING, D, "no matching " + label(wanted.name())
            + " was found");
    }

    private static String comparable(XmlNode device) {
        XmlNode copy = device.deepCopy();
        copy.removeIf(c -> c.is("address") || c.is("alias"));
        return copy.toTag().toString();
    }

    /** The words libvirt's "no matching ... was found" uses for a device kind. */
    private static String label(String element) {
        return switch (element) {
            case "rng" -> "RNG device";
            case "watchdog" -> "watchdog";
            case "memballoon" -> "memballoon";
            case "redirdev" -> "redirdev device";
            case "shmem" -> "shmem device";
            case "tpm" -> "TPM device";
            default -> element + " device";
        };
    }
}
