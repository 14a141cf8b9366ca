package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices element of a config's domain XML, in libvirt's device order, with the libxl driver's implicit
 * devices: the xenbus controller (carrying the event channel and grant frame limits), IDE controllers for IDE
 * disks, a console, mouse and keyboard, Cirrus video for HVM graphics, and the Xen balloon.
 */
final class XlDevicesToDomain {
    private final XlConfig cfg;
    private final boolean hvm;
    private final XmlText xml;

    XlDevicesToDomain(XlConfig cfg, boolean hvm, XmlText xml) {
        this.cfg = cfg;
        this.hvm = hvm;
        this.xml = xml;
    }

    void write() {
        xml.open("devices");
        String emulator = cfg.has("device_model_override") ? cfg.string("device_model_override")
            : cfg.string("device_model");
        xml.text("emulator", emulator);
        int ideControllers = disks();
        controllers(ideControllers);
        for (Object vif : cfg.list("vif")) {
            if (vif instanceof String spec) {
                XlVif.parse(spec, xml);
            }
        }
        XlCharDevices.parse(cfg, hvm, xml);
        channels();
        inputs();
        XlGraphics.parse(cfg, hvm, xml);
        sounds();
        if (hvm && hasGraphics()) {
            xml.open("video").empty("model", "type", "cirrus", "vram", "8192", "heads", "1", "primary", "yes")
                .close();
        }
        pciHostdevs();
        usbHostdevs();
        xml.empty("memballoon", "model", "xen");
        xml.close();
    }

    private boolean hasGraphics() {
        return cfg.bool("vnc", 0) == 1 || cfg.bool("sdl", 0) == 1 || cfg.bool("spice", 0) == 1;
    }

    /** Writes the disks; returns how many IDE controllers they need. */
    private int disks() {
        int ideControllers = 0;
        for (Object entry : cfg.list("disk")) {
            if (!(entry instanceof String spec)) {
                continue;
            }
            XlDisk disk = XlDisk.parse(spec);
            String bus = disk.vdev().startsWith("xvd") || !hvm ? "xen" : disk.vdev().startsWith("sd") ? "scsi"
                : "ide";
            disk.write(xml, bus);
            int index = DiskNames.index(disk.vdev());
            if (bus.equals("ide") && index >= 0) {
                ideControllers = Math.max(ideControllers, index / 4 + 1);
            }
        }
        return ideControllers;
    }

    private void controllers(int ideControllers) {
        long events = cfg.number("max_event_channels", 0);
        long frames = cfg.number("max_grant_frames", 0);
        xml.empty("controller", "type", "xenbus", "index", "0", "maxGrantFrames",
            frames > 0 ? Long.toString(frames) : null, "maxEventChannels", events > 0 ? Long.toString(events) : null);
        int usbIndex = 0;
        for (String spec : cfg.strings("usbctrl")) {
            String[] controller = usbController(spec);
            if (controller != null) {
                xml.empty("controller", "type", "usb", "index", Integer.toString(usbIndex++), "model", controller[0],
                    "ports", controller[1]);
            }
        }
        for (int i = 0; i < ideControllers; i++) {
            xml.empty("controller", "type", "ide", "index", Integer.toString(i));
        }
    }

    /** {@code type=qusb,version=N,ports=N} (hex numbers) as model and ports; null for a spec xl would skip. */
    private static String[] usbController(String spec) {
        String type = null;
        int version = 2;
        int ports = 8;
        for (String key : spec.split(",")) {
            key = key.strip();
            int eq = key.indexOf('=');
            if (eq < 0) {
                return null;
            }
            String value = key.substring(eq + 1);
            try {
                switch (key.substring(0, eq)) {
                    case "type" -> type = value;
                    case "version" -> version = Integer.parseInt(value, 16);
                    case "ports" -> ports = Integer.parseInt(value, 16);
                    default -> { }
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (type != null && !type.startsWith("qusb")) {
            return null;
        }
        return new String[] {version == 1 ? "qusb1" : "qusb2", Integer.toString(ports)};
    }

    private void channels() {
        for (String spec : cfg.strings("channel")) {
            String connection = "";
            String name = null;
            String path = null;
            for (String key : spec.split(",")) {
                key = key.strip();
                int eq = key.indexOf('=');
                if (eq < 0) {
                    break;
                }
                String value = key.substring(eq + 1);
                switch (key.substring(0, eq)) {
                    case "connection" -> connection = value;
                    case "name" -> name = value;
                    case "path" -> path = value;
                    default -> { }
                }
            }
            if (connection.startsWith("socket")) {
                xml.open("channel", "type", "unix").empty("source", "mode", "bind", "path", path);
            } else if (connection.startsWith("pty")) {
                xml.open("channel", "type", "pty");
            } else {
                throw XenConversionErrors.internal("unsupported channel connection '" + connection + "'");
            }
            xml.empty("target", "type", "xen", "name", name).close();
        }
    }

    private void inputs() {
        List<String> usb = new ArrayList<>();
        if (hvm) {
            Object value = cfg.value("usbdevice");
            if (value instanceof String s) {
                usb.add(s);
            } else if (value instanceof List<?>) {
                usb.addAll(cfg.strings("usbdevice"));
            }
        }
        String bus = hvm ? "ps2" : "xen";
        for (String kind : usb) {
            switch (kind) {
                case "tablet", "mouse", "keyboard" -> xml.empty("input", "type", kind, "bus", "usb");
                default -> { }
            }
        }
        // the implicit pair: a USB mouse or keyboard is another device than the PS/2 (or Xen) one
        xml.empty("input", "type", "mouse", "bus", bus);
        xml.empty("input", "type", "keyboard", "bus", bus);
    }

    private void sounds() {
        String soundhw = hvm ? cfg.string("soundhw") : null;
        if (soundhw == null) {
            return;
        }
        List<String> models = soundhw.equals("all") ? List.of("sb16", "es1370") : List.of(soundhw.split(","));
        models.forEach(m -> xml.empty("sound", "model", m));
    }

    private void pciHostdevs() {
        for (String spec : cfg.strings("pci")) {
            String[] parts = spec.split(",", 2);
            String[] address = parts[0].split(":");
            int at = 0;
            int domain = address.length == 3 ? Integer.parseInt(address[at++], 16) : 0;
            int bus = Integer.parseInt(address[at++], 16);
            String slotFunction = address[at];
            int dot = slotFunction.indexOf('.');
            if (dot < 0) {
                throw XenConversionErrors.internal("Malformed PCI address " + slotFunction);
            }
            int slot = Integer.parseInt(slotFunction.substring(0, dot), 16);
            int function = Integer.parseInt(slotFunction.substring(dot + 1), 16);
            String writeFiltering = null;
            if (parts.length > 1) {
                for (String option : parts[1].split(",")) {
                    int eq = option.indexOf('=');
                    if (eq < 0) {
                        throw XenConversionErrors.internal("Malformed PCI options " + parts[1]);
                    }
                    if (option.substring(0, eq).equals("permissive")) {
                        writeFiltering = Integer.parseInt(option.substring(eq + 1)) != 0 ? "no" : "yes";
                    }
                }
            }
            xml.open("hostdev", "mode", "subsystem", "type", "pci", "managed", "no").empty("driver", "name", "xen")
                .open("source", "writeFiltering", writeFiltering)
                .empty("address", "domain", String.format("0x%04x", domain), "bus", String.format("0x%02x", bus),
                    "slot", String.format("0x%02x", slot), "function", String.format("0x%x", function))
                .close().close();
        }
    }

    private void usbHostdevs() {
        for (String spec : cfg.strings("usbdev")) {
            String bus = null;
            String device = null;
            for (String key : spec.split(",")) {
                key = key.strip();
                if (key.startsWith("hostbus=")) {
                    bus = key.substring(8);
                } else if (key.startsWith("hostaddr=")) {
                    device = key.substring(9);
                }
            }
            try {
                int busNumber = Integer.parseInt(bus, 16);
                int deviceNumber = Integer.parseInt(device, 16);
                xml.open("hostdev", "mode", "subsystem", "type", "usb", "managed", "no").open("source")
                    .empty("address", "bus", Integer.toString(busNumber), "device", Integer.toString(deviceNumber))
                    .close().close();
            } catch (NumberFormatException | NullPointerException e) {
                // xl skips a usbdev entry it cannot read, and so does libvirt
            }
        }
    }
}
