package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;

import java.util.List;

import org.w3c.dom.Element;

/**
 * Graphics in xl.cfg: HVM's vnc/sdl/spice settings and a PV guest's vfb list, both ways.
 */
final class XlGraphics {
    private XlGraphics() {
    }

    /** The framebuffer settings: one VNC or SDL graphics device (SPICE comes later, see formatSpice). */
    static void format(XlConfig cfg, List<Element> graphics, boolean hvm) {
        if (graphics.size() != 1 || "spice".equals(attr(graphics.get(0), "type"))) {
            return;
        }
        Element g = graphics.get(0);
        boolean sdl = "sdl".equals(attr(g, "type"));
        boolean autoport = !"no".equals(attr(g, "autoport"));
        String listen = listenAddress(g);
        if (hvm) {
            if (sdl) {
                cfg.set("sdl", 1).set("vnc", 0);
                setIf(cfg, "display", attr(g, "display"));
                setIf(cfg, "xauthority", attr(g, "xauth"));
            } else {
                cfg.set("sdl", 0).set("vnc", 1).set("vncunused", autoport ? 1 : 0);
                if (!autoport) {
                    cfg.set("vncdisplay", Long.parseLong(attr(g, "port")) - 5900);
                }
                setIf(cfg, "vnclisten", listen);
                setIf(cfg, "vncpasswd", attr(g, "passwd"));
                setIf(cfg, "keymap", attr(g, "keymap"));
            }
            return;
        }
        StringBuilder vfb = new StringBuilder();
        if (sdl) {
            vfb.append("type=sdl");
            appendIf(vfb, "display", attr(g, "display"));
            appendIf(vfb, "xauthority", attr(g, "xauth"));
        } else {
            vfb.append("type=vnc,vncunused=").append(autoport ? 1 : 0);
            if (!autoport) {
                vfb.append(",vncdisplay=").append(Long.parseLong(attr(g, "port")) - 5900);
            }
            appendIf(vfb, "vnclisten", listen);
            appendIf(vfb, "vncpasswd", attr(g, "passwd"));
            appendIf(vfb, "keymap", attr(g, "keymap"));
        }
        cfg.set("vfb", List.of(vfb.toString()));
    }

    /** SPICE for an HVM guest, after the disks as libvirt writes it. */
    static void formatSpice(XlConfig cfg, List<Element> graphics, boolean hvm) {
        if (!hvm || graphics.isEmpty() || !"spice".equals(attr(graphics.get(0), "type"))) {
            return;
        }
        Element g = graphics.get(0);
        cfg.set("sdl", 0).set("vnc", 0).set("spice", 1);
        setIf(cfg, "spicehost", listenAddress(g));
        cfg.set("spiceport", number(attr(g, "port")));
        cfg.set("spicetls_port", number(attr(g, "tlsPort")));
        String passwd = attr(g, "passwd");
        if (passwd != null) {
            cfg.set("spicedisable_ticketing", 0).set("spicepasswd", passwd);
        } else {
            cfg.set("spicedisable_ticketing", 1);
        }
        String mouse = attr(child(g, "mouse"), "mode");
        if ("server".equals(mouse)) {
            cfg.set("spiceagent_mouse", 0);
        } else if ("client".equals(mouse)) {
            cfg.set("spiceagent_mouse", 1).set("spicevdagent", 1);
        }
        if ("yes".equals(attr(child(g, "clipboard"), "copypaste"))) {
            cfg.set("spice_clipboard_sharing", 1).set("spicevdagent", 1);
        }
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String listenAddress(Element g) {
        Element listen = child(g, "listen");
        if (listen != null && attr(listen, "address") != null) {
            return attr(listen, "address");
        }
        return listen == null ? attr(g, "listen") : null;
    }

    private static void setIf(XlConfig cfg, String name, String value) {
        if (value != null) {
            cfg.set(name, value);
        }
    }

    private static void appendIf(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append(',').append(key).append('=').append(value);
        }
    }

    /** The graphics devices of a config, as domain XML. */
    static void parse(XlConfig cfg, boolean hvm, XmlText xml) {
        if (hvm) {
            if (cfg.bool("vnc", 0) == 1) {
                boolean autoport = cfg.bool("vncunused", 1) == 1;
                String port = autoport ? "-1" : Long.toString(cfg.number("vncdisplay", 0) + 5900);
                vnc(xml, port, autoport, cfg.string("vnclisten"), cfg.string("vncpasswd"), cfg.string("keymap"));
            } else if (cfg.bool("sdl", 0) == 1) {
                xml.empty("graphics", "type", "sdl", "display", cfg.string("display"), "xauth",
                    cfg.string("xauthority"));
            } else if (cfg.bool("spice", 0) == 1) {
                spice(cfg, xml);
            }
            return;
        }
        List<String> vfbs = cfg.strings("vfb");
        if (vfbs.isEmpty()) {
            return;
        }
        String vfb = vfbs.get(0);
        boolean sdl = vfb.contains("type=sdl");
        String display = null;
        String xauth = null;
        String listen = null;
        String passwd = null;
        String keymap = null;
        String port = "-1";
        boolean autoport = false;
        for (String key : vfb.split("[,]")) {
            key = key.strip();
            int eq = key.indexOf('=');
            if (eq < 0) {
                break;
            }
            String name = key.substring(0, eq);
            String value = key.substring(eq + 1);
            switch (name) {
                case "vncunused" -> autoport = autoport || "1".equals(value);
                case "vnclisten" -> listen = value;
                case "vncpasswd" -> passwd = value;
                case "keymap" -> keymap = value;
                case "vncdisplay" -> port = Integer.toString(Integer.parseInt(value) + 5900);
                case "display" -> display = value;
                case "xauthority" -> xauth = value;
                default -> { }
            }
        }
        if (sdl) {
            xml.empty("graphics", "type", "sdl", "display", display, "xauth", xauth);
        } else {
            vnc(xml, autoport ? "-1" : port, autoport, listen, passwd, keymap);
        }
    }

    private static void vnc(XmlText xml, String port, boolean autoport, String listen, String passwd,
                            String keymap) {
        String[] attrs = {"type", "vnc", "port", port, "autoport", autoport ? "yes" : "no", "listen", listen,
            "keymap", keymap, "passwd", passwd};
        if (listen == null) {
            xml.empty("graphics", attrs);
            return;
        }
        xml.open("graphics", attrs).empty("listen", "type", "address", "address", listen).close();
    }

    private static void spice(XlConfig cfg, XmlText xml) {
        String listen = cfg.string("spicehost");
        long tlsPort = cfg.number("spicetls_port", 0);
        long port = cfg.number("spiceport", 0);
        boolean autoport = tlsPort == 0 && port == 0;
        String passwd = cfg.bool("spicedisable_ticketing", 0) == 1 ? null : required(cfg, "spicepasswd");
        xml.open("graphics", "type", "spice", "port", autoport ? "-1" : Long.toString(port), "tlsPort",
            autoport ? "-1" : Long.toString(tlsPort), "autoport", autoport ? "yes" : "no", "listen", listen,
            "passwd", passwd);
        if (listen != null) {
            xml.empty("listen", "type", "address", "address", listen);
        }
        xml.empty("mouse", "mode", cfg.bool("spiceagent_mouse", 0) == 1 ? "client" : "server");
        xml.empty("clipboard", "copypaste", cfg.bool("spice_clipboard_sharing", 0) == 1 ? "yes" : "no");
        xml.close();
    }

    private static String required(XlConfig cfg, String name) {
        String value = cfg.string(name);
        if (value == null) {
            throw XenConversionErrors.internal("config value " + name + " was missing");
        }
        return value;
    }
}
