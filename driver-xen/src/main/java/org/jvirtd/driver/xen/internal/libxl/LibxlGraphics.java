package org.jvirtd.driver.xen.internal.libxl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;

import java.util.LinkedHashMap;
import java.util.Map;

import org.w3c.dom.Element;

/**
 * A VNC or SDL graphics device as libxl's vnc and sdl settings (used by a vfb and by an HVM guest's own).
 */
final class LibxlGraphics {
    /** The first VNC display port; the display number is the port above it. */
    private static final long VNC_BASE_PORT = 5900;

    private LibxlGraphics() {
    }

    static Map<String, Object> vnc(Element g) {
        Map<String, Object> vnc = new LinkedHashMap<>();
        boolean isVnc = g != null && "vnc".equals(attr(g, "type"));
        vnc.put("enable", isVnc ? "True" : "False");
        if (!isVnc) {
            return vnc;
        }
        LibxlDomainConfig.putText(vnc, "listen", listen(g));
        LibxlDomainConfig.putText(vnc, "passwd", attr(g, "passwd"));
        LibxlDomainConfig.putText(vnc, "keymap", attr(g, "keymap"));
        String port = attr(g, "port");
        if (!"yes".equals(attr(g, "autoport")) && port != null && Long.parseLong(port) > VNC_BASE_PORT) {
            vnc.put("display", Long.parseLong(port) - VNC_BASE_PORT);
        }
        vnc.put("findunused", "False");
        return vnc;
    }

    static Map<String, Object> sdl(Element g) {
        Map<String, Object> sdl = new LinkedHashMap<>();
        boolean isSdl = g != null && "sdl".equals(attr(g, "type"));
        sdl.put("enable", isSdl ? "True" : "False");
        if (isSdl) {
            LibxlDomainConfig.putText(sdl, "display", attr(g, "display"));
            LibxlDomainConfig.putText(sdl, "xauthority", attr(g, "xauth"));
        }
        return sdl;
    }

    private static String listen(Element g) {
        Element listen = child(g, "listen");
        if (listen != null && attr(listen, "address") != null) {
            return attr(listen, "address");
        }
        return attr(g, "listen");
    }
}
