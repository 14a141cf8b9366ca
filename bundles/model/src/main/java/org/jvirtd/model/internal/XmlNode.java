package org.jvirtd.model.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.xml.SafeXml;

/**
 * A mutable element tree that keeps attributes in document order (DOM does not), read with a hardened StAX
 * parser; the domain model canonicalizes it in place and writes it with {@link #toTag()}.
 */
public final class XmlNode {
    /** Factories are costly to find and not thread-safe, so each thread keeps one. */
    private static final ThreadLocal<XMLInputFactory> FACTORIES = ThreadLocal.withInitial(XmlNode::newFactory);
    private static final String REUSE_READER = "reuse-instance";

    private String name;
    private final String namespace;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlNode> children = new ArrayList<>();
    private String text;

    public XmlNode(String name, String namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    /**
     * Parses a document. Only a document the stream parser refuses goes through {@link SafeXml} as well,
     * for libvirt's error: parsing every document twice cost a third of a define.
     */
    public static XmlNode parse(String xml, ErrorDomain domain, String label) {
        if (xml == null || xml.isBlank() || xml.length() > SafeXml.MAX_DOCUMENT_CHARS) {
            SafeXml.parse(xml, domain, label);
        }
        try {
            return read(xml);
        } catch (XMLStreamException | RuntimeException e) {
            SafeXml.parse(xml, domain, label);
            throw Errors.xmlDetail(domain, "(" + label + "): " + e.getMessage());
        }
    }

    private static XmlNode read(String xml) throws XMLStreamException {
        XMLStreamReader reader = FACTORIES.get().createXMLStreamReader(new StringReader(xml));
        try {
            return read(reader);
        } finally {
            reader.close();
        }
    }

    private static XmlNode read(XMLStreamReader reader) throws XMLStreamException {
        List<XmlNode> stack = new ArrayList<>();
        XmlNode root = null;
        StringBuilder text = new StringBuilder();
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.DTD) {
                // SafeXml refuses any DOCTYPE; the stream parser would skip it
                throw new XMLStreamException("DOCTYPE is not allowed");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String prefix = reader.getPrefix();
                String qname = prefix == null || prefix.isEmpty() ? reader.getLocalName()
                    : prefix + ":" + reader.getLocalName();
                String ns = reader.getNamespaceURI();
                XmlNode node = new XmlNode(qname, ns == null || ns.isEmpty() ? null : ns);
                for (int i = 0; i < reader.getNamespaceCount(); i++) {
                    String p = reader.getNamespacePrefix(i);
                    node.attributes.put(p == null || p.isEmpty() ? "xmlns" : "xmlns:" + p,
                        reader.getNamespaceURI(i));
                }
                for (int i = 0; i < reader.getAttributeCount(); i++) {
                    String p = reader.getAttributePrefix(i);
                    String n = p == null || p.isEmpty() ? reader.getAttributeLocalName(i)
                        : p + ":" + reader.getAttributeLocalName(i);
                    node.attributes.put(n, reader.getAttributeValue(i));
                }
                if (!stack.isEmpty()) {
                    stack.get(stack.size() - 1).children.add(node);
                } else {
                    root = node;
                }
                stack.add(node);
                text.setLength(0);
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                || event == XMLStreamConstants.SPACE) {
                text.append(reader.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                XmlNode node = stack.remove(stack.size() - 1);
                if (node.children.isEmpty() && text.length() > 0) {
                    node.text = text.toString();
                }
                text.setLength(0);
            }
        }
        return root;
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            // the JDK's reader costs more to build than a small document to read: reuse it once closed
            factory.setProperty(REUSE_READER, true);
        } catch (IllegalArgumentException notSupported) {
            // another StAX implementation: a new reader per document
        }
        return factory;
    }

    public String name() {
        return name;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    /** True for an element of libvirt's own vocabulary (no namespace) with this name. */
    public boolean is(String localName) {
        return namespace == null && name.equals(localName);
    }

    public String namespace() {
        return namespace;
    }

    public String attr(String attribute) {
        return attributes.get(attribute);
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    /** Sets an attribute, keeping its position when it exists and appending it otherwise; null removes it. */
    public XmlNode set(String attribute, String value) {
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
        return this;
    }

    /** Reorders attributes: the listed ones first in this order, the rest after in their document order. */
    public void orderAttributes(List<String> order) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        attributes.clear();
        for (String key : order) {
            if (copy.containsKey(key)) {
                attributes.put(key, copy.remove(key));
            }
        }
        attributes.putAll(copy);
    }

    public String text() {
        return text;
    }

    public void setText(String value) {
        this.text = value;
    }

    public List<XmlNode> children() {
        return children;
    }

    public XmlNode child(String localName) {
        return children.stream().filter(c -> c.is(localName)).findFirst().orElse(null);
    }

    public List<XmlNode> children(String localName) {
        return children.stream().filter(c -> c.is(localName)).toList();
    }

    public String childText(String localName) {
        XmlNode c = child(localName);
        return c == null ? null : c.text == null ? "" : c.text;
    }

    public void removeIf(Predicate<XmlNode> test) {
        children.removeIf(test);
    }

    /** Inserts a child before the first child that is not in {@code before}; used for canonical positions. */
    public void insert(int index, XmlNode node) {
        children.add(index, node);
    }

    public XmlNode deepCopy() {
        XmlNode copy = new XmlNode(name, namespace);
        copy.attributes.putAll(attributes);
        copy.text = text;
        children.forEach(c -> copy.children.add(c.deepCopy()));
        return copy;
    }

    /** Writes this tree in libvirt's style; {@code <metadata>} children keep libxml2's form. */
    public XmlTag toTag() {
        XmlTag tag = XmlTag.of(name);
        attributes.forEach(tag::attr);
        if (is("metadata")) {
            children.forEach(c -> tag.raw(c.dumpForeign()));
            return tag;
        }
        children.forEach(c -> tag.child(c.toTag()));
        if (is("devices") || is("hyperv")) {
            tag.keepOpen();
        }
        if (children.isEmpty() && text != null && !(text.isBlank() && text.indexOf('\n') >= 0)) {
            tag.text(text);
        }
        return tag;
    }

    /** The element as libxml2's xmlNodeDump writes it: double quotes, blank text dropped, children indented. */
    public String dumpForeign() {
        StringBuilder out = new StringBuilder();
        dump(out, 0);
        return out.toString();
    }

    private void dump(StringBuilder out, int level) {
        out.append("  ".repeat(level)).append('<').append(name);
        attributes.forEach((k, v) -> out.append(' ').append(k).append("=\"").append(escapeAttr(v)).append('"'));
        if (children.isEmpty() && (text == null || text.isBlank())) {
            out.append("/>");
        } else if (children.isEmpty()) {
            out.append('>').append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
                .append("</").append(name).append('>');
        } else {
            out.append('>');
            for (XmlNode c : children) {
                out.append('\n');
                c.dump(out, level + 1);
            }
            out.append('\n').append("  ".repeat(level)).append("</").append(name).append('>');
        }
    }

    private static String escapeAttr(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }
}
