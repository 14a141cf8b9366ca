package org.jvirtd.driver.qemu.internal.net;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Writes into a live definition where each plugged interface landed, as libvirt's live XML shows it:
 * {@code <target dev='vnet0'/>}, and for a network interface the bridge on its source.
 */
final class InterfaceTargets {
    /** Where one interface landed; null entries leave an interface as it is. */
    record Landing(String tap, String bridge) {
    }

    private InterfaceTargets() {
    }

    static String of(String xml, List<Landing> landings, int id) {
        Document doc = SafeXml.parse(xml, ErrorDomain.DOMAIN, "domain_definition");
        List<Element> interfaces = new ArrayList<>();
        for (Element devices : children(doc.getDocumentElement(), "devices")) {
            interfaces.addAll(children(devices, "interface"));
        }
        for (int i = 0; i < interfaces.size() && i < landings.size(); i++) {
            if (landings.get(i) != null) {
                land(interfaces.get(i), landings.get(i));
            }
        }
        return format(doc, id);
    }

    private static void land(Element iface, Landing landing) {
        Element source = first(iface, "source");
        if ("network".equals(iface.getAttribute("type")) && source != null) {
            source.setAttribute("bridge", landing.bridge());
        }
        Element target = first(iface, "target");
        if (target == null) {
            target = iface.getOwnerDocument().createElement("target");
            iface.insertBefore(target, source == null ? iface.getFirstChild() : source.getNextSibling());
        }
        target.setAttribute("dev", landing.tap());
    }

    private static Element first(Element parent, String name) {
        List<Element> list = children(parent, name);
        return list.isEmpty() ? null : list.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }

    private static String format(Document doc, int id) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return DomainXml.format(DomainXml.parse(out.toString()), id, DomainXml.SECURE);
        } catch (TransformerException e) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot write live XML: " + e.getMessage());
        }
    }
}
