package org.jvirtd.driver.qemu.internal.guest;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Null-tolerant lookups on a DOM element: children by name, attributes and text that are null when absent.
 */
final class Dom {
    private Dom() {
    }

    static Element child(Element e, String name) {
        if (e == null) {
            return null;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static List<Element> children(Element e, String name) {
        List<Element> result = new ArrayList<>();
        if (e == null) {
            return result;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (name == null || c.getTagName().equals(name))) {
                result.add(c);
            }
        }
        return result;
    }

    static String attr(Element e, String name) {
        return e != null && e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }

    static String childText(Element e, String name) {
        return text(child(e, name));
    }

    static String childAttr(Element e, String child, String name) {
        return attr(child(e, child), name);
    }

    /** yes/no and on/off attributes; null when absent. */
    static Boolean yesNo(String value) {
        if (value == null) {
            return null;
        }
        return "yes".equals(value) || "on".equals(value);
    }

    /** A number in decimal or 0x hex, as libvirt accepts in addresses; null when absent. */
    static Integer number(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String v = value.strip();
        return v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
    }

    static int number(String value, int fallback) {
        Integer n = number(value);
        return n == null ? fallback : n;
    }
}
