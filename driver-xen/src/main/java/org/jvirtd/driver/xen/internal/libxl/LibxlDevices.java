package org.jvirtd.driver.xen.internal.libxl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Element;

/**
 * The device lists of libxl's domain configuration: disks, nics, PCI devices (host devices and hostdev
 * interfaces, in document order) and framebuffers.
 */
final class LibxlDevices {
    private LibxlDevices() {
    }

    static List<Object> disks(Element devices) {
        List<Object> disks = new ArrayList<>();
        for (Element disk : children(devices, "disk")) {
            if ("floppy".equals(attr(disk, "device"))) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            Element source = child(disk, "source");
            String path = attr(source, "file") != null ? attr(source, "file") : attr(source, "dev");
            LibxlDomainConfig.putText(d, "pdev_path", path);
            d.put("vdev", attr(child(disk, "target"), "dev"));
            Element driver = child(disk, "driver");
            String name = attr(driver, "name");
            String type = attr(driver, "type");
            if ("phy".equals(name)) {
                d.put("backend", "phy");
                d.put("format", "raw");
            } else if (name == null || name.equals("qemu") || name.equals("file")) {
                if (name != null) {
                    d.put("backend", "qdisk");
                }
                d.put("format", switch (type == null ? "raw" : type) {
                    case "raw", "qcow", "qcow2", "qed" -> type == null ? "raw" : type;
                    case "vhd" -> "vhd";
                    default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                        "libxenlight does not support disk format " + type + " with disk driver " + name);
                });
            } else {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                    "libxenlight does not support disk driver " + name);
            }
            d.put("removable", 1L);
            boolean cdrom = "cdrom".equals(attr(disk, "device"));
            if (!cdrom && child(disk, "readonly") == null) {
                d.put("readwrite", 1L);
            }
            if (cdrom) {
                d.put("is_cdrom", 1L);
            }
            disks.add(d);
        }
        return disks;
    }

    static List<Object> nics(Element devices, boolean hvm) {
        List<Object> nics = new ArrayList<>();
        long devid = 0;
        for (Element net : children(devices, "interface")) {
            String type = attr(net, "type");
            if ("hostdev".equals(type)) {
                continue;
            }
            Map<String, Object> nic = new LinkedHashMap<>();
            nic.put("devid", devid++);
            String model = attr(child(net, "model"), "type");
            LibxlDomainConfig.putText(nic, "model", model);
            nic.put("mac", attr(child(net, "mac"), "address"));
            switch (type) {
                case "bridge" -> nic.put("bridge", attr(child(net, "source"), "bridge"));
                case "ethernet" -> { }
                default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                    "unsupported interface type " + type);
            }
            List<String> ips = children(net, "ip").stream().map(ip -> attr(ip, "address")).toList();
            if (!ips.isEmpty()) {
                nic.put("ip", String.join(" ", ips));
            }
            LibxlDomainConfig.putText(nic, "script", attr(child(net, "script"), "path"));
            LibxlDomainConfig.putText(nic, "ifname", attr(child(net, "target"), "dev"));
            nic.put("nictype", hvm && !"netfront".equals(model) ? "vif_ioemu" : "vif");
            nics.add(nic);
        }
        return nics;
    }

    static List<Object> pcidevs(Element devices) {
        List<Object> pcis = new ArrayList<>();
        for (Element net : children(devices, "interface")) {
            if ("hostdev".equals(attr(net, "type"))) {
                pcis.add(pci(child(net, "source")));
            }
        }
        for (Element hostdev : children(devices, "hostdev")) {
            if ("subsystem".equals(attr(hostdev, "mode")) && "pci".equals(attr(hostdev, "type"))) {
                pcis.add(pci(child(hostdev, "source")));
            }
        }
        return pcis;
    }

    private static Map<String, Object> pci(Element source) {
        Element address = child(source, "address");
        Map<String, Object> pci = new LinkedHashMap<>();
        pci.put("func", hex(attr(address, "function")));
        pci.put("dev", hex(attr(address, "slot")));
        pci.put("bus", hex(attr(address, "bus")));
        pci.put("domain", hex(attr(address, "domain")));
        if ("no".equals(attr(source, "writeFiltering"))) {
            pci.put("permissive", true);
        }
        pci.put("rdm_policy", "invalid");
        return pci;
    }

    private static long hex(String value) {
        if (value == null) {
            return 0;
        }
        return value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
    }

    static List<Object> vfbs(Element devices) {
        List<Object> vfbs = new ArrayList<>();
        for (Element g : children(devices, "graphics")) {
            String type = attr(g, "type");
            if (!"vnc".equals(type) && !"sdl".equals(type)) {
                continue;
            }
            Map<String, Object> vfb = new LinkedHashMap<>();
            vfb.put("devid", -1L);
            vfb.put("vnc", LibxlGraphics.vnc(g));
            vfb.put("sdl", LibxlGraphics.sdl(g));
            vfbs.add(vfb);
        }
        return vfbs;
    }
}
