package org.jvirtd.model.network;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.IpAddresses;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.w3c.dom.Element;

/**
 * Parse/format of a network's {@code <dns>} element and its records.
 */
final class DnsXml {
    private static final ErrorDomain D = ErrorDomain.NETWORK;

    private DnsXml() {
    }

    static Dns parse(Element e, String network) {
        if (e == null) {
            return null;
        }
        List<Dns.Forwarder> forwarders = new ArrayList<>();
        for (Element f : Dom.children(e, "forwarder")) {
            String addr = Dom.attr(f, "addr");
            String domain = Dom.attr(f, "domain");
            if (addr == null && domain == null) {
                throw Errors.xml(D, "Invalid forwarder element, must contain at least one of addr or domain");
            }
            if (addr != null && IpAddresses.parse(addr) == null) {
                throw Errors.xml(D, "Invalid forwarder IP address '" + addr + "' in network '" + network + "'");
            }
            forwarders.add(new Dns.Forwarder(domain, addr == null ? null : IpAddresses.canonical(addr)));
        }
        List<Dns.Txt> txts = new ArrayList<>();
        for (Element t : Dom.children(e, "txt")) {
            txts.add(parseTxt(t, network));
        }
        List<Dns.Srv> srvs = new ArrayList<>();
        for (Element s : Dom.children(e, "srv")) {
            srvs.add(parseSrv(s, network));
        }
        List<Dns.Host> hosts = new ArrayList<>();
        for (Element h : Dom.children(e, "host")) {
            hosts.add(parseHost(h, network));
        }
        Dns dns = new Dns(YesNo.parse(D, e, "enable"), YesNo.parse(D, e, "forwardPlainNames"), forwarders, txts,
            srvs, hosts);
        if (Boolean.FALSE.equals(dns.enable()) && (dns.hasRecords() || dns.forwardPlainNames() != null)) {
            throw Errors.xml(D, "Extra data in disabled network '" + network + "'");
        }
        return dns;
    }

    // libvirt reports the TXT, SRV and HOST record errors as VIR_ERR_XML_DETAIL: the message alone
    private static Dns.Txt parseTxt(Element t, String network) {
        String name = Dom.attr(t, "name");
        if (name == null) {
            throw Errors.xmlDetail(D, "missing required name attribute in DNS TXT record of network " + network);
        }
        if (name.contains(" ")) {
            throw Errors.xmlDetail(D, "prohibited character in DNS TXT record name '" + name + "' of network "
                + network);
        }
        String value = Dom.attr(t, "value");
        if (value == null) {
            throw Errors.xmlDetail(D, "missing required value attribute in DNS TXT record named '" + name
                + "' of network " + network);
        }
        return new Dns.Txt(name, value);
    }

    private static Dns.Srv parseSrv(Element s, String network) {
        String service = Dom.attr(s, "service");
        if (service == null) {
            throw Errors.xmlDetail(D, "missing required service attribute in DNS SRV record of network '" + network + "'");
        }
        String protocol = Dom.attr(s, "protocol");
        if (protocol == null) {
            throw Errors.xmlDetail(D, "missing required protocol attribute in DNS SRV record '" + service + "' of network '"
                + network + "'");
        }
        return new Dns.Srv(service, protocol, Dom.attr(s, "domain"), Dom.attr(s, "target"),
            number(s, "port", service, network), number(s, "priority", service, network),
            number(s, "weight", service, network));
    }

    private static int number(Element s, String attribute, String service, String network) {
        String text = Dom.attr(s, attribute);
        if (text == null) {
            return 0;
        }
        if (!text.strip().matches("\\d{1,5}") || Integer.parseInt(text.strip()) > 65535) {
            throw Errors.xmlDetail(D, "invalid " + attribute + " attribute value '" + text + "' in DNS SRV record '"
                + service + "' of network '" + network + "'");
        }
        return Integer.parseInt(text.strip());
    }

    private static Dns.Host parseHost(Element h, String network) {
        String ip = Dom.attr(h, "ip");
        if (ip == null) {
            throw Errors.xmlDetail(D, "Missing IP address in network '" + network + "' DNS HOST record");
        }
        if (IpAddresses.parse(ip) == null) {
            throw Errors.xmlDetail(D, "Invalid IP address in network '" + network + "' DNS HOST record");
        }
        List<String> names = new ArrayList<>();
        for (Element n : Dom.children(h, "hostname")) {
            String name = n.getTextContent();
            if (name.isEmpty()) {
                throw Errors.xmlDetail(D, "Missing hostname in network '" + network + "' DNS HOST record");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw Errors.xmlDetail(D, "Missing hostname in network '" + network + "' DNS HOST record");
        }
        return new Dns.Host(IpAddresses.canonical(ip), names);
    }

    static XmlTag format(Dns dns) {
        if (dns == null || (dns.enable() == null && dns.forwardPlainNames() == null && !dns.hasRecords())) {
            return null;
        }
        XmlTag tag = XmlTag.of("dns").yesNo("enable", dns.enable()).yesNo("forwardPlainNames",
            dns.forwardPlainNames());
        for (Dns.Forwarder f : dns.forwarders()) {
            tag.child(XmlTag.of("forwarder").attr("domain", f.domain()).attr("addr", f.addr()));
        }
        for (Dns.Txt t : dns.txts()) {
            tag.child(XmlTag.of("txt").attr("name", t.name()).attr("value", t.value()));
        }
        for (Dns.Srv s : dns.srvs()) {
            tag.child(XmlTag.of("srv").attr("service", s.service()).attr("protocol", s.protocol())
                .attr("domain", s.domain()).attr("target", s.target())
                .attr("port", s.port() > 0 ? s.port() : null).attr("priority", s.priority() > 0 ? s.priority() : null)
                .attr("weight", s.weight() > 0 ? s.weight() : null));
        }
        for (Dns.Host h : dns.hosts()) {
            XmlTag host = XmlTag.of("host").attr("ip", h.ip());
            h.hostnames().forEach(n -> host.textChild("hostname", n));
            tag.child(host);
        }
        return tag;
    }
}
