package org.jvirtd.model.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.IpAddresses;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.w3c.dom.Element;

/**
 * Parse/format of a network's {@code <forward>} element.
 */
final class ForwardXml {
    private static final ErrorDomain D = ErrorDomain.NETWORK;

    private ForwardXml() {
    }

    static Forward parse(Element e, String network) {
        if (e == null) {
            return null;
        }
        String modeName = Dom.attr(e, "mode");
        ForwardMode mode = modeName == null ? ForwardMode.NAT : ForwardMode.fromXml(modeName);
        if (mode == null || mode == ForwardMode.NONE) {
            throw Errors.unsupported(D, "unknown forwarding type '" + modeName + "'");
        }
        Boolean managed = YesNo.parse(D, "managed", Dom.attr(e, "managed"));
        List<Element> pfs = Dom.children(e, "pf");
        if (pfs.size() > 1) {
            throw Errors.xml(D, "Only one <pf> element is allowed in <forward> of network " + network);
        }
        String pf = pfs.isEmpty() ? null : Dom.attr(pfs.get(0), "dev");
        if (!pfs.isEmpty() && pf == null) {
            throw Errors.xml(D, "Missing required dev attribute in <pf> element of network " + network);
        }
        List<String> interfaces = interfaces(e, network);
        List<Forward.PciAddress> addresses = addresses(e, network);
        if (!pfs.isEmpty() && (!interfaces.isEmpty() || !addresses.isEmpty())) {
            throw Errors.xml(D, "<address>, <interface>, and <pf> elements in <forward> of network " + network
                + " are mutually exclusive");
        }
        if (!interfaces.isEmpty() && !addresses.isEmpty()) {
            throw Errors.xml(D, "<address>, <interface>, and <pf> elements in <forward> of network " + network
                + " are mutually exclusive");
        }
        if ((mode == ForwardMode.NAT || mode == ForwardMode.ROUTE) && interfaces.size() > 1) {
            throw Errors.xml(D, "multiple forward interfaces are only supported with mode='bridge', 'private', "
                + "'vepa' or 'passthrough' in network " + network);
        }
        Forward.Nat nat = parseNat(Dom.child(e, "nat"), mode, network);
        return new Forward(mode, managed, Dom.childAttr(e, "driver", "name"), nat, pf, interfaces, addresses);
    }

    private static List<String> interfaces(Element e, String network) {
        List<String> interfaces = new ArrayList<>();
        for (Element i : Dom.children(e, "interface")) {
            String dev = Dom.attr(i, "dev");
            if (dev == null) {
                throw Errors.xml(D, "Missing required dev attribute in <forward> <interface> element of network "
                    + network);
            }
            interfaces.add(dev);
        }
        String dev = Dom.attr(e, "dev");
        if (dev != null) {
            if (interfaces.isEmpty()) {
                interfaces.add(dev);
            } else if (!interfaces.get(0).equals(dev)) {
                throw Errors.xml(D, "<forward dev='" + dev + "'> must match first <interface dev='"
                    + interfaces.get(0) + "'/> in network " + network);
            }
        }
        return interfaces;
    }

    private static List<Forward.PciAddress> addresses(Element e, String network) {
        List<Forward.PciAddress> addresses = new ArrayList<>();
        Set<Forward.PciAddress> seen = new HashSet<>();
        for (Element a : Dom.children(e, "address")) {
            String type = Dom.attr(a, "type");
            if (!"pci".equals(type)) {
                throw Errors.xml(D, "unsupported address type '" + type + "' in network '" + network + "'");
            }
            Forward.PciAddress address = new Forward.PciAddress(hex(a, "domain", 0xffff), hex(a, "bus", 0xff),
                hex(a, "slot", 0x1f), hex(a, "function", 7));
            if (!seen.add(address)) {
                throw Errors.xml(D, "PCI device '" + address + "' can appear only once in network '" + network
                    + "'");
            }
            addresses.add(address);
        }
        return addresses;
    }

    private static int hex(Element a, String attribute, int max) {
        String text = Dom.attr(a, attribute);
        if (text == null) {
            return 0;
        }
        String digits = text.strip().toLowerCase(java.util.Locale.ROOT);
        int value;
        try {
            value = digits.startsWith("0x") ? Integer.parseInt(digits.substring(2), 16) : Integer.decode(digits);
        } catch (NumberFormatException ex) {
            throw Errors.internal(D, "Cannot parse <address> '" + attribute + "' attribute");
        }
        if (value < 0 || value > max) {
            throw Errors.internal(D, "Invalid PCI address " + attribute + "='" + text + "', must be <= " + max);
        }
        return value;
    }

    private static Forward.Nat parseNat(Element e, ForwardMode mode, String network) {
        if (e == null) {
            return null;
        }
        if (mode != ForwardMode.NAT) {
            throw Errors.xml(D, "The <nat> element can only be used when <forward> 'mode' is 'nat' in network "
                + network);
        }
        List<Element> addresses = Dom.children(e, "address");
        List<Element> ports = Dom.children(e, "port");
        if (addresses.size() > 1 || ports.size() > 1) {
            throw Errors.xml(D, "Only one <" + (addresses.size() > 1 ? "address" : "port")
                + "> element is allowed in <nat> in <forward> in network " + network);
        }
        String start = addresses.isEmpty() ? null : address(addresses.get(0), "start", network);
        String end = addresses.isEmpty() ? null : address(addresses.get(0), "end", network);
        if (start != null && end != null && compare(start, end) > 0) {
            // libvirt's message ends in a space
            throw Errors.internal(D, "range " + start + " - " + end + " is reversed ");
        }
        Integer portStart = ports.isEmpty() ? null : port(ports.get(0), "start", network);
        Integer portEnd = ports.isEmpty() ? null : port(ports.get(0), "end", network);
        if (portStart != null && portEnd != null && portStart > portEnd) {
            throw badPort("end", network);
        }
        return new Forward.Nat(start, end, portStart, portEnd, YesNo.parse(D, "ipv6", Dom.attr(e, "ipv6")));
    }

    private static String address(Element e, String attribute, String network) {
        String text = Dom.attr(e, attribute);
        if (text == null) {
            return null;
        }
        byte[] bytes = IpAddresses.parse(text);
        if (bytes == null || bytes.length != 4) {
            throw Errors.xml(D, "Bad ipv4 " + attribute + " address '" + text + "' in <nat> in <forward> in network "
                + network);
        }
        return IpAddresses.format(bytes);
    }

    private static int compare(String a, String b) {
        return Long.compare(NetworkAddresses.toLong(IpAddresses.parse(a)), NetworkAddresses.toLong(IpAddresses.parse(b)));
    }

    private static Integer port(Element e, String attribute, String network) {
        String text = Dom.attr(e, attribute);
        if (text == null) {
            return null;
        }
        if (!text.strip().matches("\\d{1,5}") || Integer.parseInt(text.strip()) > 65535) {
            throw badPort(attribute, network);
        }
        return Integer.parseInt(text.strip());
    }

    private static RuntimeException badPort(String attribute, String network) {
        return Errors.xmlDetail(D, "Missing or invalid '" + attribute + "' attribute in <port> in <nat> in <forward> in network "
            + network);
    }

    static XmlTag format(Forward f, boolean inactive) {
        if (f == null) {
            return null;
        }
        String dev = f.pf() == null && !f.interfaces().isEmpty() ? f.interfaces().get(0) : null;
        XmlTag tag = XmlTag.of("forward").attr("dev", dev).attr("mode", f.mode().xmlName());
        if (f.mode() == ForwardMode.HOSTDEV) {
            tag.attr("managed", Boolean.TRUE.equals(f.managed()) ? "yes" : "no");
        }
        if (f.driverName() != null) {
            tag.child(XmlTag.of("driver").attr("name", f.driverName()));
        }
        if (f.nat() != null && !f.nat().isEmpty()) {
            Forward.Nat n = f.nat();
            XmlTag nat = XmlTag.of("nat").attr("ipv6", Boolean.TRUE.equals(n.ipv6()) ? "yes" : null);
            if (n.addressStart() != null || n.addressEnd() != null) {
                nat.child(XmlTag.of("address").attr("start", n.addressStart()).attr("end", n.addressEnd()));
            }
            if (n.portStart() != null || n.portEnd() != null) {
                nat.child(XmlTag.of("port").attr("start", n.portStart()).attr("end", n.portEnd()));
            }
            tag.childIfNotEmpty(nat);
        }
        if (f.pf() != null) {
            tag.child(XmlTag.of("pf").attr("dev", f.pf()));
        }
        if (f.pf() == null || !inactive) {
            for (Forward.PciAddress a : f.addresses()) {
                tag.child(XmlTag.of("address").attr("type", "pci").attr("domain", String.format("0x%04x", a.domain()))
                    .attr("bus", String.format("0x%02x", a.bus())).attr("slot", String.format("0x%02x", a.slot()))
                    .attr("function", String.format("0x%x", a.function())));
            }
            for (String i : f.interfaces()) {
                tag.child(XmlTag.of("interface").attr("dev", i));
            }
        }
        return tag;
    }
}
