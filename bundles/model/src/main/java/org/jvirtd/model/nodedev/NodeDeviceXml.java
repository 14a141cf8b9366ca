package org.jvirtd.model.nodedev;

import java.util.List;
import java.util.UUID;

import org.jvirtd.model.internal.XmlTag;

/** Formats a node device as libvirt 9.0's virNodeDeviceGetXMLDesc writes it. */
public final class NodeDeviceXml {
    private static final UUID NO_UUID = new UUID(0, 0);

    private NodeDeviceXml() {
    }

    public static String format(NodeDeviceDef def) {
        XmlTag device = XmlTag.of("device").textChild("name", def.name()).textChild("path", def.sysfsPath());
        if (def.devnode() != null) {
            device.child(XmlTag.of("devnode").attr("type", "dev").text(def.devnode()));
        }
        device.textChild("parent", def.parent());
        if (def.driver() != null) {
            device.child(XmlTag.of("driver").textChild("name", def.driver()));
        }
        XmlTag capability = XmlTag.of("capability").attr("type", def.capability().type().xmlName());
        DeviceCapability facts = def.capability();
        if (facts instanceof SystemCapability system) {
            system(capability, system);
        } else if (facts instanceof PciCapability pci) {
            pci(capability, pci);
        } else if (facts instanceof NetCapability net) {
            net(capability, net);
        } else if (facts instanceof StorageCapability storage) {
            storage(capability, storage);
        }
        return device.child(capability).toString();
    }

    private static void system(XmlTag capability, SystemCapability system) {
        capability.textChild("product", system.product())
            .child(XmlTag.of("hardware").textChild("vendor", system.hardwareVendor())
                .textChild("version", system.hardwareVersion()).textChild("serial", system.hardwareSerial())
                .textChild("uuid", system.uuid() == null ? NO_UUID : system.uuid()))
            .child(XmlTag.of("firmware").textChild("vendor", system.firmwareVendor())
                .textChild("version", system.firmwareVersion()).textChild("release_date", system.firmwareDate())
                .keepOpen());
    }

    private static void pci(XmlTag capability, PciCapability pci) {
        PciAddress address = pci.address();
        capability.textChild("class", String.format("0x%06x", pci.pciClass()))
            .textChild("domain", address.domain()).textChild("bus", address.bus())
            .textChild("slot", address.slot()).textChild("function", address.function())
            .child(XmlTag.of("product").attr("id", String.format("0x%04x", pci.productId())).text(pci.productName()))
            .child(XmlTag.of("vendor").attr("id", String.format("0x%04x", pci.vendorId())).text(pci.vendorName()));
        if (pci.physicalFunction() != null) {
            capability.child(XmlTag.of("capability").attr("type", "phys_function")
                .child(addressTag(pci.physicalFunction())));
        }
        if (pci.virtualFunctionsMax() > 0) {
            capability.child(XmlTag.of("capability").attr("type", "virt_functions")
                .attr("maxCount", pci.virtualFunctionsMax()).children(addressTags(pci.virtualFunctions())));
        }
        if (pci.iommuGroup() != null) {
            capability.child(XmlTag.of("iommuGroup").attr("number", pci.iommuGroup())
                .children(addressTags(pci.iommuGroupDevices())));
        }
        if (pci.numaNode() >= 0) {
            capability.child(XmlTag.of("numa").attr("node", pci.numaNode()));
        }
        if (pci.pcie()) {
            capability.child(XmlTag.of("pci-express").child(link(pci.linkCap(), "cap"))
                .child(link(pci.linkStatus(), "sta")));
        }
    }

    private static XmlTag link(PciExpressLink link, String validity) {
        if (link == null) {
            return null;
        }
        return XmlTag.of("link").attr("validity", validity).attr("port", link.port() >= 0 ? link.port() : null)
            .attr("speed", link.speed()).attr("width", link.width());
    }

    private static List<XmlTag> addressTags(List<PciAddress> addresses) {
        return addresses.stream().map(NodeDeviceXml::addressTag).toList();
    }

    private static XmlTag addressTag(PciAddress address) {
        return XmlTag.of("address").attr("domain", String.format("0x%04x", address.domain()))
            .attr("bus", String.format("0x%02x", address.bus())).attr("slot", String.format("0x%02x", address.slot()))
            .attr("function", "0x" + Integer.toHexString(address.function()));
    }

    private static void net(XmlTag capability, NetCapability net) {
        capability.textChild("interface", net.interfaceName()).textChild("address", net.address());
        if (net.speed() != null || net.state() != null) {
            capability.child(XmlTag.of("link").attr("speed", net.speed()).attr("state", net.state()));
        }
        net.features().forEach(feature -> capability.child(XmlTag.of("feature").attr("name", feature)));
        capability.child(XmlTag.of("capability").attr("type", net.subtype()));
    }

    private static void storage(XmlTag capability, StorageCapability storage) {
        capability.textChild("block", storage.block()).textChild("bus", storage.bus())
            .textChild("drive_type", storage.driveType()).textChild("model", storage.model())
            .textChild("vendor", storage.vendor()).textChild("serial", storage.serial())
            .textChild("size", storage.size());
        if (storage.logicalBlockSize() > 0) {
            capability.textChild("logical_block_size", storage.logicalBlockSize());
        }
        if (storage.numBlocks() > 0) {
            capability.textChild("num_blocks", storage.numBlocks());
        }
    }
}
