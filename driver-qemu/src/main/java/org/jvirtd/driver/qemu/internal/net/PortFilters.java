package org.jvirtd.driver.qemu.internal.net;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The network filters of a guest's interfaces, as libvirt's QEMU driver asks the nwfilter driver for them: an
 * interface with {@code <filterref>} gets a filter binding on its TAP (owner, port device, MAC, filter and
 * parameters) once the TAP exists, and loses it before the TAP goes.
 */
final class PortFilters {
    private volatile NwFilters service;

    void bind(NwFilters filters) {
        service = filters;
    }

    void unbind(NwFilters filters) {
        if (service == filters) {
            service = null;
        }
    }

    /** The {@code <filterref>} of each interface of the definition that has one, by the interface's MAC. */
    static Map<String, Element> byMac(String domainXml) {
        Map<String, Element> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Element root = SafeXml.parse(domainXml, ErrorDomain.DOMAIN, "domain_definition").getDocumentElement();
        for (Element devices : children(root, "devices")) {
            for (Element iface : children(devices, "interface")) {
                List<Element> refs = children(iface, "filterref");
                List<Element> macs = children(iface, "mac");
                if (!refs.isEmpty() && !macs.isEmpty()) {
                    out.put(macs.get(0).getAttribute("address"), refs.get(0));
                }
            }
        }
        return out;
    }

    /** The {@code <filterref>} of one {@code <interface>} element, null when it has none. */
    static Element filterRef(Element iface) {
        List<Element> refs = children(iface, "filterref");
        return refs.isEmpty() ? null : refs.get(0);
    }

    /** Binds the interface's filter to its TAP; nothing when the interface has no filter. */
    void attach(DomainHandle h, Element filterRef, String tap, String mac) {
        if (filterRef == null) {
            return;
        }
        NwFilters filters = service;
        if (filters == null) {
            throw VirtErrors.driverUnavailable("nwfilter");
        }
        filters.createBinding(bindingXml(h, filterRef, tap, mac), 0);
    }

    /** Takes the binding of a TAP away, if it has one and the nwfilter driver is there. */
    void detach(String tap) {
        NwFilters filters = service;
        if (filters == null) {
            return;
        }
        try {
            filters.deleteBinding(filters.lookupBinding(tap));
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_NWFILTER_BINDING) {
                System.getLogger(PortFilters.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot remove the filter of " + tap + ": " + e.getMessage());
            }
        }
    }

    static String bindingXml(DomainHandle h, Element filterRef, String tap, String mac) {
        StringBuilder xml = new StringBuilder("<filterbinding><owner><name>").append(escape(h.name()))
            .append("</name><uuid>").append(h.uuid()).append("</uuid></owner><portdev name='").append(escape(tap))
            .append("'/><mac address='").append(escape(mac)).append("'/><filterref filter='")
            .append(escape(filterRef.getAttribute("filter"))).append("'>");
        for (Element p : children(filterRef, "parameter")) {
            xml.append("<parameter name='").append(escape(p.getAttribute("name"))).append("' value='")
                .append(escape(p.getAttribute("value"))).append("'/>");
        }
        return xml.append("</filterref></filterbinding>").toString();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }
}
