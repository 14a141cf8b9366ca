package org.jvirtd.net.nwfilter;

import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Parses and formats libvirt's nwfilter binding XML as libvirt 9.0 does (virNWFilterBindingDefParse/Format). */
final class BindingXml {
    private BindingXml() {
    }

    static BindingDef parse(String xml) {
        // libvirt checks the root element in its generic XML code: that error is in the XML domain
        Document document = SafeXml.parse(xml, ErrorDomain.NWFILTER, "nwfilterbinding_definition");
        Element root = document.getDocumentElement();
        if (!"filterbinding".equals(root.getLocalName()) || root.getNamespaceURI() != null) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML,
                "expecting root element of 'filterbinding', not '" + root.getLocalName() + "'");
        }
        Element owner = child(root, "owner");
        String ownerName = owner == null ? null : text(child(owner, "name"));
        if (ownerName == null) {
            throw missing("owner name");
        }
        String ownerUuid = owner == null ? null : text(child(owner, "uuid"));
        if (ownerUuid == null) {
            throw missing("owner UUID");
        }
        String portDev = attr(child(root, "portdev"), "name");
        if (portDev == null) {
            throw missing("port dev name");
        }
        String linkDev = attr(child(root, "linkdev"), "name");
        String mac = attr(child(root, "mac"), "address");
        if (mac == null) {
            throw missing("MAC address");
        }
        String normalizedMac = AttributeType.MAC.normalize(mac);
        if (normalizedMac == null || AttributeType.isVariable(mac)) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "Unable to parse MAC '" + mac
                + "'");
        }
        Element ref = child(root, "filterref");
        String filter = attr(ref, "filter");
        if (filter == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER,
                "filter binding has no filter reference");
        }
        UUID ownerId;
        try {
            ownerId = FilterXml.uuid(ownerUuid);
        } catch (VirtException malformed) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "Unable to parse UUID '"
                + ownerUuid + "'");
        }
        return new BindingDef(ownerName, ownerId, portDev, linkDev, normalizedMac,
            new FilterDef.FilterRef(filter, FilterXml.parameters(ref)));
    }

    private static VirtException missing(String what) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "filter binding has no " + what);
    }

    static String format(BindingDef def) {
        StringBuilder out = new StringBuilder("<filterbinding>\n  <owner>\n    <name>")
            .append(FilterXml.escape(def.ownerName())).append("</name>\n    <uuid>").append(def.ownerUuid())
            .append("</uuid>\n  </owner>\n  <portdev name='").append(FilterXml.escape(def.portDev())).append("'/>\n");
        if (def.linkDev() != null) {
            out.append("  <linkdev name='").append(FilterXml.escape(def.linkDev())).append("'/>\n");
        }
        out.append("  <mac address='").append(def.mac()).append("'/>\n");
        FilterXml.formatRef(out, "  ", def.filter());
        return out.append("</filterbinding>\n").toString();
    }

    private static Element child(Element parent, String name) {
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

    private static String attr(Element e, String name) {
        return e == null ? null : FilterXml.attr(e, name);
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
