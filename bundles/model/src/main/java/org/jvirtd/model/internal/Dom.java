package org.jvirtd.model.internal;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads parsed DOM elements the way libvirt's XPath helpers do: first matching child, attribute or null.
 */
public final class Dom {
    private Dom() {
    }

    /** The first child element with this local name and no namespace, or null. */
    public static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child element with this local name and no namespace, in document order. */
    public static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && name.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** Every child element, in document order. */
    public static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                found.add(e);
            }
        }
        return found;
    }

    /** An attribute's value, or null when the element or the attribute is absent. */
    public static String attr(Element element, String name) {
        if (element == null || !element.hasAttribute(name)) {
            return null;
        }
        return element.getAttribute(name);
    }

    /** The text of the first child with this name, or null; like XPath string(), not trimmed. */
    public static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }

    /** The trimmed text of the first child with this name; null when absent or empty. */
    public static String trimmedText(Element parent, String name) {
        String value = text(parent, name);
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }

    /** The attribute of the first child with this name, or null. */
    public static String childAttr(Element parent, String child, String attribute) {
        return attr(child(parent, child), attribute);
    }
}
