package org.jvirtd.model.domain;

import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.internal.ForeignXml;
import org.jvirtd.model.internal.ScaledInteger;
import org.jvirtd.model.xml.SafeXml;
import org.jvirtd.model.internal.DomWriter;
import org.jvirtd.model.internal.ScaledInteger;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses and formats libvirt domain XML.
 */
public final class DomainXml {
    /** Format flag: the inactive (persistent) form, without live-only data such as the id. */
    public static final int INACTIVE = 2;

    private DomainXml() {
    }

    public static DomainDef parse(String xml) {
        Document document = SafeXml.parse(xml, ErrorDomain.DOMAIN, "domain_definition");
        Element root = document.getDocumentElement();
        if (!"domain".equals(root.getLocalName())) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                "unexpected root element <" + root.getLocalName() + ">, expecting <domain>");
        }
        String type = root.getAttribute("type");
        if (type.isEmpty()) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "missing domain type attribute");
        }
        String name = childText(root, "name");
        if (name == null || name.isEmpty()) {
            throw new VirtException(ErrorCode.NO_NAME, ErrorDomain.DOMAIN, "domain name");
        }
        if (name.indexOf('/') >= 0) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                "name " + name + " cannot contain '/'");
        }
        String uuidText = childText(root, "uuid");
        UUID uuid = uuidText == null ? UUID.randomUUID() : parseUuid(uuidText);
        long memory = memoryKiB(root, "memory");
        long current = memoryKiB(root, "currentMemory");
        if (current == 0 || current > memory) {
            current = memory;
        }
        String vcpuText = childText(root, "vcpu");
        int vcpus = vcpuText == null ? 1 : Integer.parseInt(vcpuText.strip());
        Element os = child(root, "os");
        String osType = os == null ? null : childText(os, "type");
        root.removeAttribute("id");
        setChildText(document, root, "uuid", uuid.toString(), "name");
        return new DomainDef(type, name, uuid, memory, current, vcpus, osType, document);
    }

    /** Formats a definition; {@code id} >= 0 writes the live form with that id unless INACTIVE is set. */
    public static String format(DomainDef def, int id, int flags) {
        Document copy = (Document) def.document().cloneNode(true);
        Element root = copy.getDocumentElement();
        if (id >= 0 && (flags & INACTIVE) == 0) {
            root.setAttribute("id", Integer.toString(id));
        }
        return DomWriter.toTag(root).toString();
    }

    private static UUID parseUuid(String text) {
        String hex = text.strip().replace("-", "");
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "malformed uuid element");
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
            Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static long memoryKiB(Element root, String element) {
        Element e = child(root, element);
        if (e == null) {
            return 0;
        }
        return (ScaledInteger.toBytes(ErrorDomain.DOMAIN, "./" + element + "[1]", e.getTextContent(), e.getAttribute("unit"), 1024, Long.MAX_VALUE) + 1023) / 1024;
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static String childText(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static void setChildText(Document document, Element parent, String name, String text, String after) {
        Element existing = child(parent, name);
        if (existing != null) {
            existing.setTextContent(text);
            return;
        }
        Element created = document.createElement(name);
        created.setTextContent(text);
        Element anchor = child(parent, after);
        parent.insertBefore(created, anchor == null ? parent.getFirstChild() : anchor.getNextSibling());
    }
}
