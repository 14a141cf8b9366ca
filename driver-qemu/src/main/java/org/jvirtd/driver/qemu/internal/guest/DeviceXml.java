package org.jvirtd.driver.qemu.internal.guest;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

/**
 * Reads the {@code <devices>} of a domain into {@link GuestDef.Devices}, one small reader per device kind.
 */
public final class DeviceXml {
    private DeviceXml() {
    }

    static GuestDef.Devices devices(Element d) {
        Element balloon = Dom.child(d, "memballoon");
        return new GuestDef.Devices(Dom.childText(d, "emulator"),
            Dom.children(d, "disk").stream().map(DeviceXml::disk).toList(),
            Dom.children(d, "controller").stream().map(DeviceXml::controller).toList(),
            Dom.children(d, "interface").stream().map(DeviceXml::iface).toList(),
            Dom.children(d, "serial").stream().map(DeviceXml::chardev).toList(),
            Dom.children(d, "console").stream().map(DeviceXml::chardev).toList(),
            Dom.children(d, "channel").stream().map(DeviceXml::chardev).toList(),
            Dom.children(d, "input").stream().map(i -> new GuestDef.Input(Dom.attr(i, "type"), Dom.attr(i, "bus"),
                usbAddress(i), pci(i)))
                .toList(),
            Dom.children(d, "graphics").stream().map(DeviceXml::graphics).toList(),
            Dom.children(d, "video").stream().map(DeviceXml::video).toList(),
            Dom.children(d, "watchdog").stream()
                .map(w -> new GuestDef.Watchdog(Dom.attr(w, "model"), Dom.attr(w, "action"), pci(w))).toList(),
            Dom.children(d, "rng").stream().map(DeviceXml::rng).toList(),
            balloon == null ? new GuestDef.Memballoon("virtio", null, 0, null, null)
                : new GuestDef.Memballoon(Dom.attr(balloon, "model"), pci(balloon), statsPeriod(balloon),
                    Dom.attr(balloon, "autodeflate"), Dom.attr(balloon, "freePageReporting")),
            Dom.children(d, "sound").stream().map(DeviceXml::sound).toList(),
            Dom.children(d, "redirdev").stream()
                .map(r -> new GuestDef.Redirdev(Dom.attr(r, "bus"), Dom.attr(r, "type"), usbAddress(r),
                    RedirFilter.of(Dom.child(d, "redirfilter")))).toList(),
            Dom.children(d, "panic").stream().map(p -> new GuestDef.Panic(Dom.attr(p, "model"),
                "isa".equals(Dom.attr(Dom.child(p, "address"), "type")) ? Dom.attr(Dom.child(p, "address"), "iobase")
                    : null)).toList(),
            Dom.children(d, "tpm").stream().map(DeviceXml::tpm).toList(),
            Dom.children(d, "parallel").stream().map(DeviceXml::chardev).toList(),
            Dom.children(d, "filesystem").stream().map(DeviceXml::filesystem).toList(),
            Dom.children(d, "iommu").stream().map(i -> new GuestDef.Iommu(Dom.attr(i, "model"),
                attributes(Dom.child(i, "driver")), pci(i))).toList(),
            Dom.children(d, "smartcard").stream().map(DeviceXml::smartcard).toList(),
            Dom.children(d, "vsock").stream().map(v -> new GuestDef.Vsock("yes".equals(Dom.childAttr(v, "cid", "auto"))
                ? null : Dom.number(Dom.childAttr(v, "cid", "address")), pci(v))).toList(),
            Dom.children(d, "hostdev").stream().map(DeviceXml::hostdev).toList());
    }

    private static GuestDef.Hostdev hostdev(Element e) {
        Element address = Dom.child(Dom.child(e, "source"), "address");
        String pciHost = null;
        if ("pci".equals(Dom.attr(e, "type")) && address != null) {
            try {
                Integer domain = Dom.number(orDefault(Dom.attr(address, "domain"), "0"));
                Integer bus = Dom.number(Dom.attr(address, "bus"));
                Integer slot = Dom.number(Dom.attr(address, "slot"));
                Integer function = Dom.number(Dom.attr(address, "function"));
                if (bus != null && slot != null && function != null) {
                    pciHost = String.format(java.util.Locale.ROOT, "%04x:%02x:%02x.%d", domain, bus, slot, function);
                }
            } catch (NumberFormatException notANumber) {
                pciHost = null; // the post-parse refuses such a definition
            }
        }
        String usbDevice = null;
        if ("usb".equals(Dom.attr(e, "type")) && address != null) {
            String bus = Dom.attr(address, "bus");
            String device = Dom.attr(address, "device");
            if (bus != null && device != null && bus.strip().matches("[0-9]{1,3}")
                && device.strip().matches("[0-9]{1,3}")) {
                usbDevice = String.format(java.util.Locale.ROOT, "/dev/bus/usb/%03d/%03d",
                    Integer.parseInt(bus.strip()), Integer.parseInt(device.strip()));
            }
        }
        return new GuestDef.Hostdev(Dom.attr(e, "type"), pciHost, Dom.attr(address, "uuid"), Dom.attr(e, "model"),
            Dom.attr(e, "display"), Dom.number(Dom.childAttr(e, "boot", "order"), 0), pci(e), usbDevice,
            Dom.childAttr(e, "source", "guestReset"), usbAddress(e));
    }

    private static java.util.Map<String, String> attributes(Element e) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        if (e != null) {
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                values.put(e.getAttributes().item(i).getNodeName(), e.getAttributes().item(i).getNodeValue());
            }
        }
        return values;
    }

    private static GuestDef.Filesystem filesystem(Element fs) {
        Element source = Dom.child(fs, "source");
        String folder = Dom.attr(source, "dir") != null ? Dom.attr(source, "dir") : Dom.attr(source, "name");
        return new GuestDef.Filesystem(orDefault(Dom.attr(fs, "type"), "mount"), Dom.childAttr(fs, "driver", "type"),
            orDefault(Dom.attr(fs, "accessmode"), "passthrough"), folder, Dom.childAttr(fs, "target", "dir"),
            Dom.child(fs, "readonly") != null, Dom.attr(fs, "multidevs"), pci(fs),
            "virtiofs".equals(Dom.childAttr(fs, "driver", "type")) ? virtiofs(fs) : null);
    }

    private static GuestDef.Virtiofs virtiofs(Element fs) {
        Element binary = Dom.child(fs, "binary");
        String pool = Dom.childAttr(binary, "thread_pool", "size");
        String queue = Dom.childAttr(fs, "driver", "queue");
        return new GuestDef.Virtiofs(queue != null && queue.strip().matches("[0-9]{1,6}") ? Integer.valueOf(queue.strip())
            : null, Dom.childAttr(fs, "source", "socket"), Dom.attr(binary, "path"), Dom.attr(binary, "xattr"),
            Dom.childAttr(binary, "cache", "mode"), Dom.childAttr(binary, "sandbox", "mode"),
            Dom.childAttr(binary, "lock", "posix"), Dom.childAttr(binary, "lock", "flock"),
            pool != null && pool.strip().matches("-?[0-9]{1,6}") ? Integer.valueOf(pool.strip()) : null);
    }

    private static GuestDef.Sound sound(Element s) {
        List<String> codecs = Dom.children(s, "codec").stream().map(c -> Dom.attr(c, "type")).toList();
        return new GuestDef.Sound(Dom.attr(s, "model"), codecs, Dom.number(Dom.childAttr(s, "audio", "id"), 1), pci(s));
    }

    static GuestDef.PciAddress pci(Element device) {
        Element a = Dom.child(device, "address");
        if (a == null || !"pci".equals(Dom.attr(a, "type"))) {
            return null;
        }
        return new GuestDef.PciAddress(Dom.number(Dom.attr(a, "domain"), 0), Dom.number(Dom.attr(a, "bus"), 0),
            Dom.number(Dom.attr(a, "slot"), 0), Dom.number(Dom.attr(a, "function"), 0),
            Dom.yesNo(Dom.attr(a, "multifunction")), Dom.number(Dom.childAttr(device, "acpi", "index")));
    }

    /** Parses one {@code <disk>} element (also used for hotplug). */
    public static GuestDef.Disk disk(Element e) {
        Element driver = Dom.child(e, "driver");
        Element source = Dom.child(e, "source");
        Element target = Dom.child(e, "target");
        Element address = Dom.child(e, "address");
        GuestDef.DriveAddress drive = address != null && "drive".equals(Dom.attr(address, "type"))
            ? new GuestDef.DriveAddress(Dom.number(Dom.attr(address, "controller"), 0),
                Dom.number(Dom.attr(address, "bus"), 0), Dom.number(Dom.attr(address, "target"), 0),
                Dom.number(Dom.attr(address, "unit"), 0))
            : null;
        String type = Dom.attr(e, "type");
        GuestDef.NetworkSource network = null;
        String path = null;
        if ("network".equals(type) && source != null) {
            Element host = Dom.child(source, "host");
            network = new GuestDef.NetworkSource(Dom.attr(source, "protocol"), Dom.attr(source, "name"),
                Dom.attr(host, "name"), Dom.attr(host, "port"));
        } else if (source != null) {
            path = "block".equals(type) ? Dom.attr(source, "dev") : Dom.attr(source, "file");
        }
        String targetDev = Dom.attr(target, "dev");
        String bus = Dom.attr(target, "bus");
        if (bus == null && targetDev != null) {
            bus = defaultBus(targetDev);
        }
        return new GuestDef.Disk(type == null ? "file" : type, orDefault(Dom.attr(e, "device"), "disk"),
            Dom.attr(driver, "type"), Dom.attr(driver, "cache"), path, network, targetDev, bus,
            Dom.child(e, "readonly") != null, Dom.child(e, "shareable") != null,
            Dom.number(Dom.childAttr(e, "boot", "order"), 0), drive, pci(e), Dom.childText(e, "serial"),
            Dom.childText(e, "wwn"), Dom.attr(target, "removable"), Dom.attr(driver, "discard"),
            Dom.attr(driver, "io"), Dom.attr(driver, "iothread"), encryption(e, source),
            new GuestDef.DiskDriverOptions(positive(Dom.attr(driver, "queues")), positive(Dom.attr(driver, "queue_size")),
                Dom.attr(driver, "error_policy"), Dom.attr(driver, "rerror_policy"), Dom.attr(driver, "detect_zeroes"),
                Dom.attr(driver, "ioeventfd"), Dom.attr(driver, "event_idx")));
    }

    /** A positive count as written, null when absent, zero or not a number. */
    private static Integer positive(String value) {
        if (value == null || !value.strip().matches("[0-9]{1,9}")) {
            return null;
        }
        int n = Integer.parseInt(value.strip());
        return n > 0 ? n : null;
    }

    /** The {@code <encryption>} in the disk's source, or directly in the disk as older definitions put it. */
    private static GuestDef.DiskEncryption encryption(Element disk, Element source) {
        Element enc = source == null ? null : Dom.child(source, "encryption");
        if (enc == null) {
            enc = Dom.child(disk, "encryption");
        }
        if (enc == null) {
            return null;
        }
        Element secret = Dom.child(enc, "secret");
        return new GuestDef.DiskEncryption(Dom.attr(enc, "format"), Dom.attr(secret, "uuid"), Dom.attr(secret, "usage"));
    }

    private static String defaultBus(String dev) {
        if (dev.startsWith("vd")) {
            return "virtio";
        }
        if (dev.startsWith("sd")) {
            return "scsi";
        }
        if (dev.startsWith("fd")) {
            return "fdc";
        }
        return "ide";
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static GuestDef.Controller controller(Element e) {
        Element master = Dom.child(e, "master");
        return new GuestDef.Controller(Dom.attr(e, "type"), Dom.number(Dom.attr(e, "index"), 0), Dom.attr(e, "model"),
            Dom.number(Dom.attr(e, "ports")), master == null ? null : Dom.number(Dom.attr(master, "startport")),
            pci(e), target(Dom.child(e, "target")), Dom.childAttr(e, "model", "name"), vectors(Dom.attr(e, "vectors")));
    }

    private static Integer vectors(String value) {
        return value != null && value.strip().matches("[0-9]{1,9}") ? Integer.valueOf(value.strip()) : null;
    }

    private static java.util.Map<String, String> target(Element target) {
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        if (target != null) {
            for (int i = 0; i < target.getAttributes().getLength(); i++) {
                org.w3c.dom.Node a = target.getAttributes().item(i);
                result.put(a.getNodeName(), a.getNodeValue());
            }
            String node = Dom.childText(target, "node");
            if (node != null) {
                result.put("node", node.strip());
            }
        }
        return result;
    }

    /** Parses one {@code <interface>} element (also used for hotplug). */
    public static GuestDef.Interface iface(Element e) {
        Element source = Dom.child(e, "source");
        return new GuestDef.Interface(Dom.attr(e, "type"), Dom.childAttr(e, "mac", "address"),
            Dom.childAttr(e, "model", "type"), Dom.attr(source, "bridge"), Dom.attr(source, "network"),
            Dom.childAttr(e, "target", "dev"), Dom.childAttr(e, "script", "path"),
            Dom.number(Dom.childAttr(e, "boot", "order"), 0), pci(e),
            Dom.number(Dom.childAttr(e, "driver", "rx_queue_size")));
    }

    private static GuestDef.Chardev chardev(Element e) {
        List<Element> sources = Dom.children(e, "source");
        // a UDP chardev has a source to send to (connect) and one to receive on (bind)
        Element source = sources.stream().filter(s -> !"bind".equals(Dom.attr(s, "mode")) || sources.size() == 1)
            .findFirst().orElse(null);
        Element bind = "udp".equals(Dom.attr(e, "type")) ? sources.stream()
            .filter(s -> "bind".equals(Dom.attr(s, "mode"))).findFirst().orElse(null) : null;
        Element target = Dom.child(e, "target");
        return new GuestDef.Chardev(orDefault(Dom.attr(e, "type"), "pty"), Dom.attr(source, "path"),
            "on".equals(Dom.attr(source, "append")), Dom.attr(source, "mode"), Dom.attr(source, "host"),
            Dom.attr(source, "service"), Dom.childAttr(e, "protocol", "type"), Dom.attr(target, "type"),
            Dom.number(Dom.attr(target, "port")), Dom.attr(target, "name"), Dom.childAttr(e, "log", "file"),
            Dom.childAttr(e, "log", "append"), Dom.attr(bind, "host"), Dom.attr(bind, "service"),
            Dom.childAttr(source, "clipboard", "copypaste"), Dom.childAttr(source, "mouse", "mode"),
            virtioSerialAddress(Dom.child(e, "address")));
    }

    private static GuestDef.Graphics graphics(Element e) {
        List<GuestDef.Listen> listens = new ArrayList<>();
        for (Element l : Dom.children(e, "listen")) {
            listens.add(new GuestDef.Listen(Dom.attr(l, "type"), Dom.attr(l, "address"), Dom.attr(l, "socket"),
                Dom.attr(l, "network")));
        }
        if (listens.isEmpty() && Dom.attr(e, "listen") != null) {
            listens.add(new GuestDef.Listen("address", Dom.attr(e, "listen"), null, null));
        }
        if (listens.isEmpty() && Dom.attr(e, "socket") != null) {
            listens.add(new GuestDef.Listen("socket", null, Dom.attr(e, "socket"), null));
        }
        List<String[]> options = new ArrayList<>();
        for (Element option : Dom.children(e, null)) {
            if (option.getTagName().equals("listen")) {
                continue;
            }
            for (int i = 0; i < option.getAttributes().getLength(); i++) {
                var a = option.getAttributes().item(i);
                options.add(new String[] {option.getTagName(), a.getNodeName(), a.getNodeValue(),
                    Dom.attr(option, "name")});
            }
        }
        Integer port = Dom.number(Dom.attr(e, "port"));
        String autoport = Dom.attr(e, "autoport");
        boolean auto = autoport == null ? port == null || port == -1 : "yes".equals(autoport);
        return new GuestDef.Graphics(Dom.attr(e, "type"), auto ? null : port, Dom.number(Dom.attr(e, "tlsPort")),
            auto, Dom.attr(e, "passwd"), listens, Dom.attr(e, "defaultMode"), options,
            Dom.number(Dom.attr(e, "websocket")), Dom.attr(e, "sharePolicy"));
    }

    private static GuestDef.Video video(Element e) {
        Element m = Dom.child(e, "model");
        return new GuestDef.Video(Dom.attr(m, "type"), kib(Dom.attr(m, "vram")), kib(Dom.attr(m, "ram")),
            kib(Dom.attr(m, "vgamem")), kib(Dom.attr(m, "vram64")), Dom.number(Dom.attr(m, "heads")), pci(e),
            Dom.childAttr(m, "acceleration", "accel3d"));
    }

    private static Long kib(String value) {
        return value == null ? null : Long.parseLong(value.strip());
    }

    private static GuestDef.Rng rng(Element e) {
        Element backend = Dom.child(e, "backend");
        Element rate = Dom.child(e, "rate");
        return new GuestDef.Rng(Dom.attr(e, "model"), Dom.attr(backend, "model"), Dom.text(backend),
            rate == null ? null : kib(Dom.attr(rate, "bytes")), rate == null ? null : kib(Dom.attr(rate, "period")),
            pci(e), "egd".equals(Dom.attr(backend, "model")) ? chardev(backend) : null);
    }

    /** An {@code <address type='virtio-serial'>}, null when it is another or its numbers are not numbers. */
    private static GuestDef.VirtioSerialAddress virtioSerialAddress(Element address) {
        if (address == null || !"virtio-serial".equals(Dom.attr(address, "type"))) {
            return null;
        }
        String controller = orDefault(Dom.attr(address, "controller"), "0").strip();
        String bus = orDefault(Dom.attr(address, "bus"), "0").strip();
        String port = Dom.attr(address, "port");
        if (port == null || !(controller + " " + bus + " " + port.strip()).matches("[0-9]{1,4} [0-9]{1,4} [0-9]{1,4}")) {
            return null;
        }
        return new GuestDef.VirtioSerialAddress(Integer.parseInt(controller), Integer.parseInt(bus),
            Integer.parseInt(port.strip()));
    }

    /** The {@code <address type='usb'>} of a device, null when it has none or its numbers are not numbers. */
    private static GuestDef.UsbAddress usbAddress(Element device) {
        Element address = Dom.child(device, "address");
        if (address == null || !"usb".equals(Dom.attr(address, "type")) || Dom.attr(address, "port") == null) {
            return null;
        }
        String port = Dom.attr(address, "port").strip();
        String bus = Dom.attr(address, "bus") == null ? "0" : Dom.attr(address, "bus").strip();
        if (!port.matches("[0-9]{1,4}(\\.[0-9]{1,4})*") || !bus.matches("[0-9]{1,4}")) {
            return null;
        }
        return new GuestDef.UsbAddress(Integer.parseInt(bus), port);
    }

    private static GuestDef.Smartcard smartcard(Element e) {
        return new GuestDef.Smartcard(Dom.attr(e, "mode"), Dom.attr(e, "type"),
            "passthrough".equals(Dom.attr(e, "mode")) ? chardev(e) : null,
            Dom.children(e, "certificate").stream().map(c -> c.getTextContent().strip()).toList(),
            Dom.childText(e, "database"));
    }

    private static GuestDef.Tpm tpm(Element e) {
        Element backend = Dom.child(e, "backend");
        List<String> banks = Dom.children(Dom.child(backend, "active_pcr_banks"), null).stream()
            .map(Element::getTagName).toList();
        return new GuestDef.Tpm(orDefault(Dom.attr(e, "model"), "tpm-tis"), Dom.attr(backend, "type"),
            Dom.attr(backend, "version"), "yes".equals(Dom.attr(backend, "persistent_state")), banks,
            Dom.child(backend, "encryption") != null, Dom.childAttr(backend, "source", "path"));
    }

    private static int statsPeriod(Element balloon) {
        String period = Dom.childAttr(balloon, "stats", "period");
        return period == null ? 0 : Integer.parseInt(period.trim());
    }
}
