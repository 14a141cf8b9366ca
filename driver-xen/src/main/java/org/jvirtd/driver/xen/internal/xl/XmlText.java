package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes an XML document element by element with two-space indentation and single-quoted attributes, given as
 * name/value pairs where a null value leaves the attribute out.
 */
final class XmlText {
    private final StringBuilder out = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();

    XmlText open(String name, String... attributes) {
        start(name, attributes).append(">\n");
        open.push(name);
        return this;
    }

    XmlText empty(String name, String... attributes) {
        start(name, attributes).append("/>\n");
        return this;
    }

    /** An element holding text; nothing when the text is null. */
    XmlText text(String name, String value, String... attributes) {
        if (value != null) {
            start(name, attributes).append('>').append(escape(value)).append("</").append(name).append(">\n");
        }
        return this;
    }

    XmlText close() {
        String name = open.pop();
        indent().append("</").append(name).append(">\n");
        return this;
    }

    private StringBuilder start(String name, String... attributes) {
        indent().append('<').append(name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("='").append(escape(attributes[i + 1])).append('\'');
            }
        }
        return out;
    }

    private StringBuilder indent() {
        return out.append("  ".repeat(open.size()));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
            .replace("\"", "&quot;");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
