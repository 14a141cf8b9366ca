package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

/**
 * Serial and parallel ports of an HVM guest in xl.cfg ({@code serial}, {@code parallel}), as the character device
 * strings xl takes: {@code pty}, {@code /dev/...}, {@code file:PATH}, {@code tcp:HOST:PORT[,server,nowait]},
 * {@code udp:...}, {@code unix:PATH[,server,nowait]}.
 */
final class XlCharDevices {
    private XlCharDevices() {
    }

    static void format(XlConfig cfg, Element devices, boolean hvm) {
        if (!hvm) {
            return;
        }
        List<Element> parallels = children(devices, "parallel");
        cfg.set("parallel", parallels.isEmpty() ? "none" : source(parallels.get(0)));
        List<Element> serials = children(devices, "serial");
        if (serials.isEmpty()) {
            cfg.set("serial", "none");
        } else if (serials.size() == 1 && port(serials.get(0)) == 0) {
            cfg.set("serial", source(serials.get(0)));
        } else {
            int max = serials.stream().mapToInt(XlCharDevices::port).max().orElse(-1);
            List<Object> list = new ArrayList<>();
            for (int port = 0; port <= max; port++) {
                int p = port;
                list.add(serials.stream().filter(s -> port(s) == p).findFirst().map(XlCharDevices::source)
                    .orElse("none"));
            }
            cfg.set("serial", list);
        }
    }

    private static int port(Element chr) {
        String port = attr(child(chr, "target"), "port");
        return port == null ? 0 : Integer.parseInt(port);
    }

    private static String source(Element chr) {
        String type = attr(chr, "type");
        Element source = child(chr, "source");
        return switch (type) {
            case "null", "stdio", "vc", "pty" -> type;
            case "file", "pipe" -> type + ":" + attr(source, "path");
            case "dev" -> attr(source, "path");
            case "tcp" -> ("telnet".equals(attr(child(chr, "protocol"), "type")) ? "telnet" : "tcp") + ":"
                + empty(attr(source, "host")) + ":" + empty(attr(source, "service"))
                + ("bind".equals(attr(source, "mode")) ? ",server,nowait" : "");
            case "udp" -> udp(chr);
            case "unix" -> "unix:" + attr(source, "path") + ("bind".equals(attr(source, "mode"))
                ? ",server,nowait" : "");
            default -> throw XenConversionErrors.unsupported("unsupported chr device type '" + type + "'");
        };
    }

    private static String udp(Element chr) {
        String connectHost = null;
        String connectService = null;
        String bindHost = null;
        String bindService = null;
        for (Element source : children(chr, "source")) {
            if ("bind".equals(attr(source, "mode"))) {
                bindHost = attr(source, "host");
                bindService = attr(source, "service");
            } else {
                connectHost = attr(source, "host");
                connectService = attr(source, "service");
            }
        }
        return "udp:" + empty(connectHost) + ":" + empty(connectService) + "@" + empty(bindHost) + ":"
            + empty(bindService);
    }

    private static String empty(String s) {
        return s == null ? "" : s;
    }

    /** The serial and parallel devices of an HVM config, and the console a PV guest always has. */
    static void parse(XlConfig cfg, boolean hvm, XmlText xml) {
        if (!hvm) {
            xml.open("console", "type", "pty").empty("target", "type", "xen", "port", "0").close();
            return;
        }
        String parallel = cfg.string("parallel");
        if (parallel != null && !parallel.equals("none")) {
            device(xml, "parallel", parallel, 0);
        }
        List<String> serials = new ArrayList<>();
        if (cfg.value("serial") instanceof List<?>) {
            serials.addAll(cfg.strings("serial"));
        } else if (cfg.string("serial") != null) {
            serials.add(cfg.string("serial"));
        }
        String first = null;
        for (int port = 0; port < serials.size(); port++) {
            if (!serials.get(port).equals("none")) {
                device(xml, "serial", serials.get(port), port);
                if (first == null) {
                    first = serials.get(port);
                }
            }
        }
        if (first != null) {
            // libvirt's post-parse step: an HVM guest's first serial port doubles as its console
            device(xml, "console", first, -1);
        }
    }

    private static void device(XmlText xml, String kind, String spec, int port) {
        String type;
        String value = spec;
        if (spec.startsWith("/")) {
            type = "dev";
        } else {
            int colon = spec.indexOf(':');
            type = colon < 0 ? spec : spec.substring(0, colon);
            value = colon < 0 ? "" : spec.substring(colon + 1);
            if (type.startsWith("telnet")) {
                type = "tcp";
            } else if (!List.of("null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix")
                .contains(type)) {
                throw XenConversionErrors.internal("unknown chr device type '" + type + "'");
            }
        }
        xml.open(kind, "type", type);
        switch (type) {
            case "dev", "file", "pipe" -> xml.empty("source", "path", type.equals("dev") ? spec : value);
            case "tcp" -> tcp(xml, spec.startsWith("telnet"), value);
            case "unix" -> {
                int comma = value.indexOf(',');
                String path = comma < 0 ? value : value.substring(0, comma);
                boolean listen = comma >= 0 && value.substring(comma).contains(",server");
                xml.empty("source", "mode", listen ? "bind" : "connect", "path", path);
            }
            case "udp" -> udp(xml, value);
            default -> { }
        }
        if (kind.equals("console")) {
            xml.empty("target", "type", "serial", "port", "0");
        } else {
            xml.empty("target", "port", Integer.toString(port));
        }
        xml.close();
    }

    private static void tcp(XmlText xml, boolean telnet, String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw XenConversionErrors.internal("malformed char device string");
        }
        String host = colon == 0 ? null : value.substring(0, colon);
        String rest = value.substring(colon + 1);
        int comma = rest.indexOf(',');
        String service = comma < 0 ? rest : rest.substring(0, comma);
        boolean listen = comma >= 0 && rest.substring(comma).contains(",server");
        xml.empty("source", "mode", listen ? "bind" : "connect", "host", host, "service", service);
        xml.empty("protocol", "type", telnet ? "telnet" : "raw");
    }

    private static void udp(XmlText xml, String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw XenConversionErrors.internal("malformed char device string");
        }
        String connectHost = colon == 0 ? null : value.substring(0, colon);
        String rest = value.substring(colon + 1);
        int at = rest.indexOf('@');
        if (at < 0) {
            xml.empty("source", "mode", "connect", "host", connectHost, "service", rest);
            return;
        }
        String bind = rest.substring(at + 1);
        int bindColon = bind.indexOf(':');
        if (bindColon < 0) {
            throw XenConversionErrors.internal("malformed char device string");
        }
        xml.empty("source", "mode", "bind", "host", bindColon == 0 ? null : bind.substring(0, bindColon),
            "service", bind.substring(bindColon + 1));
        xml.empty("source", "mode", "connect", "host", connectHost, "service", rest.substring(0, at));
    }
}
