package org.jvirtd.model.domain;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The {@code <graphics>} rules: autoport and port defaults, and the listen attribute kept in step with the
 * {@code <listen>} elements.
 */
final class GraphicsRules {
    private static final List<String> ORDER = List.of("type", "socket", "port", "autoport", "websocket",
        "tlsPort", "defaultMode", "listen", "keymap", "sharePolicy", "powerControl", "passwd", "passwdValidTo",
        "connected");
    private static final List<String> SPICE_ORDER = List.of("type", "port", "tlsPort", "autoport", "listen",
        "defaultMode", "keymap", "sharePolicy", "passwd", "passwdValidTo", "connected");

    private GraphicsRules() {
    }

    static void apply(XmlNode g) {
        String type = g.attr("type");
        if (!"vnc".equals(type) && !"spice".equals(type) && !"rdp".equals(type)) {
            return;
        }
        listens(g);
        if ("vnc".equals(type) && !g.has("socket")) {
            String port = g.attr("port");
            if ("no".equals(g.attr("autoport")) && port == null) {
                g.orderAttributes(ORDER);
                return;
            }
            boolean auto = "yes".equals(g.attr("autoport")) || port == null || port.strip().equals("-1");
            g.set("port", auto && !allocated(port) ? "-1" : port);
            g.set("autoport", auto ? "yes" : "no");
        }
        order(g);
    }

    /** A port a running console was given (a live document keeps it next to autoport='yes'). */
    private static boolean allocated(String port) {
        return port != null && port.strip().matches("[1-9][0-9]{0,4}");
    }

    /** Puts the attributes in libvirt's order. */
    static void order(XmlNode g) {
        g.orderAttributes("spice".equals(g.attr("type")) ? SPICE_ORDER : ORDER);
    }

    private static void listens(XmlNode g) {
        List<XmlNode> listens = g.children("listen");
        String socket = g.attr("socket");
        String listenAttr = g.attr("listen");
        if (socket != null && "vnc".equals(g.attr("type"))) {
            XmlNode first = listens.isEmpty() ? null : listens.get(0);
            if (first == null || !"socket".equals(first.attr("type"))) {
                g.removeIf(c -> c.is("listen") && !"socket".equals(c.attr("type")));
                XmlNode listen = new XmlNode("listen", null).set("type", "socket").set("socket", socket);
                g.insert(0, listen);
            }
            return;
        }
        if (listens.isEmpty()) {
            XmlNode listen = new XmlNode("listen", null).set("type", "address");
            if (listenAttr != null) {
                listen.set("address", listenAttr);
            }
            g.insert(0, listen);
            return;
        }
        XmlNode first = listens.get(0);
        String firstType = first.attr("type") == null ? "address" : first.attr("type");
        if (firstType.equals("address")) {
            String address = first.attr("address");
            if (listenAttr != null && address != null && !listenAttr.equals(address)) {
                throw Errors.xml(ErrorDomain.DOMAIN, "graphics 'listen' attribute '" + listenAttr
                    + "' must match 'address' attribute of first listen element (found '" + address + "')");
            }
            if (address == null && listenAttr != null) {
                first.set("address", listenAttr);
            } else if (address != null && listenAttr == null) {
                g.set("listen", address);
            }
        } else if (firstType.equals("socket") && first.has("socket") && "vnc".equals(g.attr("type"))) {
            g.set("socket", first.attr("socket"));
        }
    }
}
