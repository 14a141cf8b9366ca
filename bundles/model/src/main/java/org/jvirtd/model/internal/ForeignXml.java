package org.jvirtd.model.internal;

import java.util.HashSet;
import java.util.Set;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Writes application-owned content (metadata, namespace extensions) the way libxml2's xmlNodeDump does:
 * double-quoted attributes, namespace declarations kept, blank text dropped, element-only content indented.
 */
public final class ForeignXml {
    private ForeignXml() {
    }

    /** The element serialized as lines without a trailing newline, ready for {@link XmlTag#raw}. */
    public static String dump(Element element) {
        StringBuilder out = new StringBuilder();
        write(out, element, 0, new HashSet<>());
        return out.toString();
    }

    private static void write(StringBuilder out, Element element, int level, Set<String> declared) {
        out.append("  ".repeat(level)).append('<').append(element.getTagName());
        Set<String> scope = new HashSet<>(declared);
        NamedNodeMap attrs = element.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (a.getName().startsWith("xmlns")) {
                scope.add(a.getName());
                out.append(' ').append(a.getName()).append("=\"").append(escapeAttr(a.getValue())).append('"');
            }
        }
        String prefix = element.getPrefix();
        String nsAttr = prefix == null ? "xmlns" : "xmlns:" + prefix;
        if (element.getNamespaceURI() != null && !scope.contains(nsAttr)) {
            scope.add(nsAttr);
            out.append(' ').append(nsAttr).append("=\"").append(escapeAttr(element.getNamespaceURI())).append('"');
        }
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (!a.getName().startsWith("xmlns")) {
                out.append(' ').append(a.getName()).append("=\"").append(escapeAttr(a.getValue())).append('"');
            }
        }
        boolean hasText = false;
        boolean hasChildren = false;
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (isText(n) && !n.getNodeValue().isBlank()) {
                hasText = true;
            }
            if (n instanceof Element || (isText(n) && !n.getNodeValue().isBlank())) {
                hasChildren = true;
            }
        }
        if (!hasChildren) {
            out.append("/>");
        } else if (hasText) {
            out.append('>');
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (isText(n)) {
                    out.append(escapeText(n.getNodeValue()));
                } else if (n instanceof Element child) {
                    StringBuilder inner = new StringBuilder();
                    write(inner, child, 0, scope);
                    out.append(inner.toString().replace("\n", ""));
                }
            }
            out.append("</").append(element.getTagName()).append('>');
        } else {
            out.append('>');
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element child) {
                    out.append('\n');
                    write(out, child, level + 1, scope);
                }
            }
            out.append('\n').append("  ".repeat(level)).append("</").append(element.getTagName()).append('>');
        }
    }

    private static boolean isText(Node n) {
        return n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE;
    }

    private static String escapeAttr(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }

    private static String escapeText(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;");
    }
}
