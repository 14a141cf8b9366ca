package org.jvirtd.model.internal;

import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Turns a DOM element into an {@link XmlTag} written in libvirt's style; {@code <metadata>} content is
 * application-owned and keeps libxml2's form.
 */
public final class DomWriter {
    private DomWriter() {
    }

    public static XmlTag toTag(Element element) {
        XmlTag tag = XmlTag.of(element.getTagName());
        NamedNodeMap attrs = element.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            tag.attr(a.getName(), a.getValue());
        }
        boolean metadata = "metadata".equals(element.getLocalName()) && element.getNamespaceURI() == null;
        boolean hasElements = false;
        StringBuilder text = new StringBuilder();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                hasElements = true;
                if (metadata) {
                    tag.raw(ForeignXml.dump(child));
                } else {
                    tag.child(toTag(child));
                }
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        if (!hasElements && !text.isEmpty()) {
            tag.text(text.toString());
        }
        return tag;
    }
}
