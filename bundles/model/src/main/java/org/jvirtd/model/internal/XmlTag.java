package org.jvirtd.model.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One output element written the way libvirt's buffer writer does: single-quoted escaped attributes,
 * two-space indentation, {@code <a/>} when empty.
 */
public final class XmlTag {
    private final String name;
    private final StringBuilder attributes = new StringBuilder();
    private final List<Object> children = new ArrayList<>();
    private String text;
    private boolean keepOpen;

    private XmlTag(String name) {
        this.name = name;
    }

    public static XmlTag of(String name) {
        return new XmlTag(name);
    }

    /** Adds an attribute; a null value adds nothing. */
    public XmlTag attr(String attribute, Object value) {
        if (value != null) {
            attributes.append(' ').append(attribute).append("='").append(escape(value.toString())).append('\'');
        }
        return this;
    }

    /** Adds a yes/no attribute from a tri-state boolean; null adds nothing. */
    public XmlTag yesNo(String attribute, Boolean value) {
        return attr(attribute, value == null ? null : value ? "yes" : "no");
    }

    /** Adds an on/off attribute from a tri-state boolean; null adds nothing. */
    public XmlTag onOff(String attribute, Boolean value) {
        return attr(attribute, value == null ? null : value ? "on" : "off");
    }

    /** Adds a child element; null adds nothing. */
    public XmlTag child(XmlTag child) {
        if (child != null) {
            children.add(child);
        }
        return this;
    }

    /** Adds a child only when it has attributes, children or text, like libvirt's virXMLFormatElement. */
    public XmlTag childIfNotEmpty(XmlTag child) {
        return child == null || child.isEmpty() ? this : child(child);
    }

    public XmlTag children(Collection<XmlTag> more) {
        more.forEach(this::child);
        return this;
    }

    /** Adds a child element holding only text; null adds nothing. */
    public XmlTag textChild(String element, Object value) {
        return value == null ? this : child(of(element).text(value.toString()));
    }

    /** Adds lines that are already serialized (foreign-namespace content), indented at this depth. */
    public XmlTag raw(String lines) {
        if (lines != null && !lines.isEmpty()) {
            children.add(new RawLines(lines));
        }
        return this;
    }

    public XmlTag text(String value) {
        this.text = value;
        return this;
    }

    /** Writes an element without children as an open and a close tag on two lines. */
    public XmlTag keepOpen() {
        this.keepOpen = true;
        return this;
    }

    public boolean isEmpty() {
        return attributes.length() == 0 && children.isEmpty() && text == null;
    }

    public boolean hasChildren() {
        return !children.isEmpty();
    }

    /** The element as a document: no declaration, a newline at the end. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        write(out, 0);
        return out.toString();
    }

    public void write(StringBuilder out, int indent) {
        out.append(" ".repeat(indent)).append('<').append(name).append(attributes);
        if (text != null) {
            out.append('>').append(escape(text)).append("</").append(name).append(">\n");
        } else if (children.isEmpty() && !keepOpen) {
            out.append("/>\n");
        } else {
            out.append(">\n");
            for (Object child : children) {
                if (child instanceof XmlTag tag) {
                    tag.write(out, indent + 2);
                } else {
                    ((RawLines) child).write(out, indent + 2);
                }
            }
            out.append(" ".repeat(indent)).append("</").append(name).append(">\n");
        }
    }

    /** libvirt's virBufferEscapeString: the five markup characters become entities, control characters go. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private record RawLines(String lines) {
        void write(StringBuilder out, int indent) {
            for (String line : lines.split("\n")) {
                out.append(" ".repeat(indent)).append(line).append('\n');
            }
        }
    }
}
