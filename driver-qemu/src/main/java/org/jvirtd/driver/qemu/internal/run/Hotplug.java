package org.jvirtd.driver.qemu.internal.run;

import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.DeviceXml;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.net.HostNetwork;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Attaches and detaches virtio disks and NICs on a running guest (blockdev-add/device_add,
 * device_del/DEVICE_DELETED/blockdev-del) and keeps the live XML in step.
 */
public final class Hotplug {
    private static final long DETACH_WAIT_SECONDS = 5;

    private Hotplug() {
    }

    public static void attach(QemuRun run, DomainHandle h, HostNetwork network, String deviceXml) {
        Element device = SafeXml.parse(deviceXml, ErrorDomain.DOMAIN, "device").getDocumentElement();
        Document live = SafeXml.parse(h.xml(), ErrorDomain.DOMAIN, "domain_definition");
        switch (device.getTagName()) {
            case "disk" -> attachDisk(run, DeviceXml.disk(device));
            case "interface" -> attachNic(run, h, network, device, interfaceCount(live));
            default -> throw VirtErrors.noSupport("live attach of device '" + device.getTagName() + "'");
        }
        Element devices = devicesOf(live);
        devices.appendChild(live.importNode(device, true));
        h.setLiveXml(canonical(live, h.id()));
    }

    private static void attachDisk(QemuRun run, GuestDef.Disk disk) {
        if (!"virtio".equals(disk.bus())) {
            throw VirtErrors.noSupport("live attach of a disk on bus '" + disk.bus() + "'");
        }
        if (disk.encryption() != null) {
            throw VirtErrors.noSupport("live attach of an encrypted disk");
        }
        String node = nodeName(disk);
        run.qmp().blockdevAdd(Props.of("driver", "file").put("filename", disk.source())
            .put("node-name", node + "-storage").put("auto-read-only", true).put("discard", "unmap"));
        run.qmp().blockdevAdd(Props.of("node-name", node + "-format").put("read-only", disk.readonly())
            .put("driver", disk.format() == null ? "raw" : disk.format()).put("file", node + "-storage"));
        run.qmp().deviceAdd(Props.of("driver", "virtio-blk-pci").put("drive", node + "-format")
            .put("id", diskAlias(disk)));
    }

    /** A bridge or network interface gets a TAP plugged into its bridge, named in the device's target. */
    private static void attachNic(QemuRun run, DomainHandle h, HostNetwork network, Element device, int index) {
        GuestDef.Interface net = DeviceXml.iface(device);
        String tap = network.plug(h, net, device);
        if (tap != null) {
            Element target = device.getOwnerDocument().createElement("target");
            target.setAttribute("dev", tap);
            children(device, "target").forEach(device::removeChild);
            device.appendChild(target);
        }
        String ifname = tap != null ? tap : net.targetDev() != null ? net.targetDev() : "vnet-" + h.id() + "-" + index;
        Props backend = "user".equals(net.type()) ? Props.of("type", "user")
            : Props.of("type", "tap").put("ifname", ifname).put("script", "no").put("downscript", "no");
        try {
            run.qmp().netdevAdd(backend.put("id", "hostnet" + index));
            run.qmp().deviceAdd(Props.of("driver", net.model() == null || "virtio".equals(net.model())
                ? "virtio-net-pci" : net.model()).put("netdev", "hostnet" + index).put("id", "net" + index)
                .put("mac", net.mac()));
        } catch (RuntimeException e) {
            if (tap != null) {
                network.unplug(h, tap);
            }
            throw e;
        }
    }

    public static void detach(QemuRun run, DomainHandle h, HostNetwork network, String deviceXml) {
        Element device = SafeXml.parse(deviceXml, ErrorDomain.DOMAIN, "device").getDocumentElement();
        Document live = SafeXml.parse(h.xml(), ErrorDomain.DOMAIN, "domain_definition");
        Element devices = devicesOf(live);
        List<Element> same = children(devices, device.getTagName());
        for (int i = 0; i < same.size(); i++) {
            Element existing = same.get(i);
            if ("disk".equals(device.getTagName())
                && DeviceXml.disk(existing).target().equals(DeviceXml.disk(device).target())) {
                GuestDef.Disk disk = DeviceXml.disk(existing);
                removeDevice(run, diskAlias(disk));
                deleteHotpluggedNodes(run, disk);
            } else if ("interface".equals(device.getTagName())
                && DeviceXml.iface(existing).mac().equalsIgnoreCase(DeviceXml.iface(device).mac())) {
                removeDevice(run, "net" + i);
                run.qmp().netdevDel("hostnet" + i);
                String tap = DeviceXml.iface(existing).targetDev();
                if (tap != null) {
                    network.unplug(h, tap);
                }
            } else {
                continue;
            }
            devices.removeChild(existing);
            h.setLiveXml(canonical(live, h.id()));
            return;
        }
        throw VirtErrors.operationFailed(ErrorDomain.QEMU, "matching " + device.getTagName() + " not found");
    }

    private static void removeDevice(QemuRun run, String alias) {
        var deleted = run.awaitDeletion(alias);
        run.qmp().deviceDel(alias);
        try {
            deleted.get(DETACH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "device '" + alias
                + "' was not removed by the guest within " + DETACH_WAIT_SECONDS + " s");
        }
    }

    /** Nodes added by {@link #attach} go; a disk QEMU was started with has its nodes removed with its device. */
    private static void deleteHotpluggedNodes(QemuRun run, GuestDef.Disk disk) {
        try {
            run.qmp().blockdevDel(nodeName(disk) + "-format");
            run.qmp().blockdevDel(nodeName(disk) + "-storage");
        } catch (org.jvirtd.api.VirtException e) {
            System.getLogger(Hotplug.class.getName()).log(System.Logger.Level.DEBUG,
                "no hotplugged nodes for " + disk.target() + ": " + e.getMessage());
        }
    }

    /** The alias the command line gives a virtio disk: virtio-disk plus the target's index (vdb -> 1). */
    private static String diskAlias(GuestDef.Disk disk) {
        int index = 0;
        for (char c : disk.target().substring(2).toCharArray()) {
            index = index * 26 + (c - 'a' + 1);
        }
        return "virtio-disk" + (index - 1);
    }

    private static String nodeName(GuestDef.Disk disk) {
        return "libvirt-hp-" + disk.target();
    }

    private static int interfaceCount(Document live) {
        return children(devicesOf(live), "interface").size();
    }

    private static Element devicesOf(Document live) {
        List<Element> devices = children(live.getDocumentElement(), "devices");
        if (devices.isEmpty()) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "live definition has no devices");
        }
        return devices.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }

    private static String canonical(Document doc, int id) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return DomainXml.format(DomainXml.parse(out.toString()), id, DomainXml.SECURE | DomainXml.STATUS);
        } catch (javax.xml.transform.TransformerException e) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot write live XML: " + e.getMessage());
        }
    }
}
