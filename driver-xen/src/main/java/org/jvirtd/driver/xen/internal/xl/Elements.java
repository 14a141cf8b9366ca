package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reading a parsed domain document: child elements by name, attributes as null when absent, paths of names.
 */
public final class Elements {
    private Elements() {
    }

    /** The first child element named {@code name}, or null. */
    public static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Follows a path of child names; null as soon as one is missing. */
    public static Element path(Element from, String... names) {
        Element e = from;
        for (String name : names) {
            e = child(e, name);
        }
        return e;
    }

    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    public static String attr(Element e, String name) {
        return e == null || !e.hasAttribute(name) ? null : e.getAttribute(name);
    }

    /** The text of the element at {@code names} below {@code from}, stripped; null when absent. */
    public static String text(Element from, String... names) {
        Element e = path(from, names);
        return e == null ? null : e.getTextContent().strip();
    }
}
