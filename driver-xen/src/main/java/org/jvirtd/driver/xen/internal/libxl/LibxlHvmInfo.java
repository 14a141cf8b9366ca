package org.jvirtd.driver.xen.internal.libxl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;
import static org.jvirtd.driver.xen.internal.xl.Elements.path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.w3c.dom.Element;

/**
 * The HVM part of libxl's build info (b_info."type.hvm"): PAE, HPET, emulated VGA, the VNC/SDL/SPICE settings,
 * the first serial port, the boot order and USB input devices.
 */
final class LibxlHvmInfo {
    private LibxlHvmInfo() {
    }

    static Map<String, Object> build(Element domain, Element devices) {
        Map<String, Object> hvm = new LinkedHashMap<>();
        hvm.put("pae", child(child(domain, "features"), "pae") != null ? "True" : "False");
        for (Element timer : children(child(domain, "clock"), "timer")) {
            if ("hpet".equals(attr(timer, "name"))) {
                hvm.put("hpet", "no".equals(attr(timer, "present")) ? "False" : "True");
            }
        }
        Element graphics = child(devices, "graphics");
        Element video = child(devices, "video");
        String kind = video == null ? (graphics == null ? "none" : "cirrus")
            : switch (String.valueOf(attr(child(video, "model"), "type"))) {
                case "vga" -> "std";
                case "cirrus" -> "cirrus";
                case "qxl" -> "qxl";
                default -> "none";
            };
        hvm.put("vga", Map.of("kind", kind));
        if (graphics == null) {
            hvm.put("nographic", "True");
        }
        hvm.put("vnc", LibxlGraphics.vnc(graphics));
        hvm.put("sdl", LibxlGraphics.sdl(graphics));
        hvm.put("spice", Map.of());
        String serial = serial(devices);
        if (serial != null) {
            hvm.put("serial", serial);
        }
        StringBuilder boot = new StringBuilder();
        for (Element dev : children(child(domain, "os"), "boot")) {
            boot.append(switch (attr(dev, "dev")) {
                case "fd" -> 'a';
                case "cdrom" -> 'd';
                case "network" -> 'n';
                default -> 'c';
            });
        }
        hvm.put("boot", boot.isEmpty() ? "c" : boot.toString());
        List<Object> usb = new ArrayList<>();
        for (Element input : children(devices, "input")) {
            if ("usb".equals(attr(input, "bus"))) {
                usb.add(attr(input, "type"));
            }
        }
        if (!usb.isEmpty()) {
            hvm.put("usbdevice_list", usb);
        }
        hvm.put("rdm", Map.of());
        return hvm;
    }

    /** The first serial port's type; an HVM guest's serial console counts as its serial port. */
    private static String serial(Element devices) {
        Element serial = child(devices, "serial");
        if (serial == null) {
            Element console = child(devices, "console");
            String target = attr(path(console, "target"), "type");
            if (console != null && (target == null || target.equals("serial"))) {
                serial = console;
            }
        }
        if (serial == null) {
            return null;
        }
        String type = attr(serial, "type");
        String source = attr(child(serial, "source"), "path");
        return switch (type) {
            case "file", "pipe" -> type + ":" + source;
            case "dev" -> source;
            default -> type;
        };
    }
}
