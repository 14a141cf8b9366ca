package org.jvirtd.model.network;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.MacAddresses;
import org.jvirtd.model.internal.Names;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlNode;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses and formats libvirt network XML ({@code <network>}), including the dnsmasq namespace extension.
 */
public final class NetworkXml {
    /** Format flag VIR_NETWORK_XML_INACTIVE: the persistent view, without live-only data. */
    public static final int INACTIVE = 1;
    /** The namespace of {@code <dnsmasq:options>}. */
    public static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

    private static final ErrorDomain D = ErrorDomain.NETWORK;

    private NetworkXml() {
    }

    public static NetworkDef parse(String xml) {
        Element root = SafeXml.parseRoot(xml, "network", D, "network_definition");
        String name = Names.require(D, Dom.text(root, "name"), null);
        Forward forward = ForwardXml.parse(Dom.child(root, "forward"), name);
        ForwardMode mode = forward == null ? ForwardMode.NONE : forward.mode();
        NetworkDef.Bridge bridge = parseBridge(Dom.child(root, "bridge"), name);
        checkHostForwardMode(mode, bridge, forward, name);
        String mac = Dom.childAttr(root, "mac", "address");
        if (mac != null) {
            mac = MacAddresses.canonical(D, mac, "bridge mac address", " in network '" + name + "'");
            if (MacAddresses.isMulticast(mac)) {
                throw Errors.xml(D, "Invalid multicast bridge mac address '" + mac + "' in network '" + name + "'");
            }
        }
        Element domain = Dom.child(root, "domain");
        List<NetworkIp> ips = new ArrayList<>();
        for (Element ip : Dom.children(root, "ip")) {
            ips.add(IpXml.parse(ip, name));
        }
        checkSingleDhcpPerFamily(ips, name);
        List<NetworkDef.Route> routes = new ArrayList<>();
        for (Element r : Dom.children(root, "route")) {
            routes.add(parseRoute(r, name));
        }
        List<PortGroup> portGroups = parsePortGroups(root, name);
        return new NetworkDef(name, Uuids.parseOrGenerate(D, Dom.trimmedText(root, "uuid")),
            ipv6(root, name),
            YesNo.parse(D, root, "trustGuestRxFilters"),
            connections(root), metadata(xml, Dom.child(root, "metadata") != null), forward, bridge, mtu(root, name), mac,
            domain == null ? null : new NetworkDef.DnsDomain(Dom.attr(domain, "name"),
                YesNo.parse(D, domain, "localOnly")),
            DnsXml.parse(Dom.child(root, "dns"), name), NetDevXml.parseVlan(Dom.child(root, "vlan")),
            NetDevXml.parseBandwidth(Dom.child(root, "bandwidth")),
            YesNo.parse(D, "isolated", Dom.childAttr(root, "port", "isolated")), ips, routes,
            NetDevXml.parseVirtualPort(Dom.child(root, "virtualport")), portGroups, dnsmasqOptions(root));
    }

    /**
     * A network whose forward mode hands guests to a host device or bridge has no bridge of its own: a bridge
     * name is refused for those modes but mode='bridge', where it excludes a forward dev, and bridge options
     * (delay, stp, zone) for all of them.
     */
    private static void checkHostForwardMode(ForwardMode mode, NetworkDef.Bridge bridge,
                                             Forward forward, String name) {
        if (mode != ForwardMode.BRIDGE && mode != ForwardMode.PRIVATE && mode != ForwardMode.VEPA
            && mode != ForwardMode.PASSTHROUGH && mode != ForwardMode.HOSTDEV) {
            return;
        }
        if (bridge == null) {
            return;
        }
        if (mode != ForwardMode.BRIDGE && bridge.name() != null) {
            throw Errors.xml(D, "bridge name not allowed in " + mode.xmlName() + " mode (network '" + name + "')");
        }
        if ((bridge.delay() != null && bridge.delay() != 0) || bridge.stp() != null || bridge.zone() != null) {
            throw Errors.xml(D, "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in "
                + mode.xmlName() + " (network '" + name + "')");
        }
        if (bridge.name() != null && !forward.interfaces().isEmpty()) {
            throw Errors.xml(D, "A network with forward mode='" + mode.xmlName()
                + "' can specify a bridge name or a forward dev, but not both (network '" + name + "')");
        }
    }

    private static boolean ipv6(Element root, String network) {
        String value = Dom.attr(root, "ipv6");
        if (value != null && !value.equals("yes") && !value.equals("no")) {
            throw Errors.xml(D, "Invalid ipv6 setting '" + value + "' in network '" + network + "'");
        }
        return "yes".equals(value);
    }

    private static int connections(Element root) {
        String text = Dom.attr(root, "connections");
        return text != null && text.strip().matches("\\d{1,9}") ? Integer.parseInt(text.strip()) : 0;
    }

    private static NetworkDef.Bridge parseBridge(Element e, String network) {
        if (e == null) {
            return null;
        }
        String delayText = Dom.attr(e, "delay");
        Long delay = null;
        if (delayText != null) {
            if (!delayText.strip().matches("\\d{1,18}")) {
                throw Errors.xml(D, "Invalid delay value in network '" + network + "'");
            }
            delay = Long.parseLong(delayText.strip());
        }
        String stp = Dom.attr(e, "stp");
        String manager = Dom.attr(e, "macTableManager");
        if (manager != null && !manager.equals("kernel") && !manager.equals("libvirt")) {
            throw Errors.xml(D, "Invalid macTableManager setting '" + manager + "' in network '" + network + "'");
        }
        return new NetworkDef.Bridge(Dom.attr(e, "name"), Dom.attr(e, "zone"),
            stp == null ? null : !stp.equals("off"), delay, manager);
    }

    private static Integer mtu(Element root, String network) {
        String size = Dom.childAttr(root, "mtu", "size");
        if (size == null) {
            return null;
        }
        if (!size.strip().matches("\\d{1,9}")) {
            throw Errors.xml(D, "Invalid mtu size '" + size + "' in network '" + network + "'");
        }
        return Integer.parseInt(size.strip());
    }

    private static void checkSingleDhcpPerFamily(List<NetworkIp> ips, String network) {
        boolean v4 = false;
        boolean v6 = false;
        for (NetworkIp ip : ips) {
            if (ip.dhcp() == null || (ip.dhcp().ranges().isEmpty() && ip.dhcp().hosts().isEmpty())) {
                continue;
            }
            if (ip.isIpv6() ? v6 : v4) {
                throw Errors.unsupported(D, "Multiple " + (ip.isIpv6() ? "IPv6" : "IPv4")
                    + " dhcp sections found -- dhcp is supported only for a single " + (ip.isIpv6() ? "IPv6" : "IPv4")
                    + " address on each network");
            }
            if (ip.isIpv6()) {
                v6 = true;
            } else {
                v4 = true;
            }
        }
    }

    private static NetworkDef.Route parseRoute(Element e, String network) {
        String address = Dom.attr(e, "address");
        String gateway = Dom.attr(e, "gateway");
        if (address == null || gateway == null) {
            throw Errors.xml(D, network + ": Missing required " + (address == null ? "address" : "gateway")
                + " attribute in route definition");
        }
        String prefix = Dom.attr(e, "prefix");
        String metric = Dom.attr(e, "metric");
        return new NetworkDef.Route(Dom.attr(e, "family"), canonicalAddress(address, "network", network),
            Dom.attr(e, "netmask"), prefix == null ? null : (int) routeNumber(prefix, "prefix", network),
            canonicalAddress(gateway, "gateway", network),
            metric == null ? null : routeNumber(metric, "metric", network));
    }

    /** A route's prefix or metric: an unsigned int, else libvirt's "Invalid ... specified in route definition". */
    private static long routeNumber(String text, String what, String network) {
        String digits = text.strip();
        if (!digits.matches("\\d{1,10}") || Long.parseLong(digits) > 0xffffffffL) {
            throw Errors.xml(D, network + ": Invalid " + what + " specified in route definition");
        }
        return Long.parseLong(digits);
    }

    private static String canonicalAddress(String text, String what, String network) {
        String canonical = org.jvirtd.model.internal.IpAddresses.canonical(text);
        if (canonical == null) {
            throw Errors.xml(D, network + ": Bad " + what + " address '" + text + "' in route definition");
        }
        return canonical;
    }

    private static List<PortGroup> parsePortGroups(Element root, String network) {
        List<PortGroup> groups = new ArrayList<>();
        boolean haveDefault = false;
        for (Element g : Dom.children(root, "portgroup")) {
            String name = Dom.attr(g, "name");
            if (name == null) {
                throw Errors.xml(D, "Missing required name attribute in portgroup");
            }
            boolean isDefault = Boolean.TRUE.equals(YesNo.parse(D, "default", Dom.attr(g, "default")));
            if (isDefault && haveDefault) {
                throw Errors.unsupported(D, "network '" + network + "' has multiple default <portgroup> elements ("
                    + groups.stream().filter(PortGroup::isDefault).findFirst().map(PortGroup::name).orElse("")
                    + " and " + name + "), but only one default is allowed");
            }
            if (groups.stream().anyMatch(p -> p.name().equals(name))) {
                throw Errors.unsupported(D, "multiple <portgroup> elements with the same name (" + name
                    + ") in network '" + network + "'");
            }
            haveDefault |= isDefault;
            groups.add(new PortGroup(name, isDefault,
                YesNo.parse(D, "trustGuestRxFilters", Dom.attr(g, "trustGuestRxFilters")),
                NetDevXml.parseVirtualPort(Dom.child(g, "virtualport")),
                NetDevXml.parseBandwidth(Dom.child(g, "bandwidth")), NetDevXml.parseVlan(Dom.child(g, "vlan"))));
        }
        return groups;
    }

    private static String metadata(String xml, boolean present) {
        if (!present) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (XmlNode child : XmlNode.parse(xml, D, "network_definition").child("metadata").children()) {
            out.append(child.dumpForeign()).append('\n');
        }
        return out.toString();
    }

    private static List<String> dnsmasqOptions(Element root) {
        List<String> options = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && DNSMASQ_NS.equals(e.getNamespaceURI()) && "options".equals(e.getLocalName())) {
                for (Node o = e.getFirstChild(); o != null; o = o.getNextSibling()) {
                    if (o instanceof Element opt && DNSMASQ_NS.equals(opt.getNamespaceURI())
                        && "option".equals(opt.getLocalName())) {
                        String value = opt.getAttribute("value");
                        if (value.isEmpty()) {
                            throw Errors.xml(D, "No dnsmasq options value specified");
                        }
                        options.add(value);
                    }
                }
            }
        }
        return options;
    }

    /** Formats a definition; {@link #INACTIVE} leaves out live-only data (connections, VF interfaces). */
    public static String format(NetworkDef def, int flags) {
        boolean inactive = (flags & INACTIVE) != 0;
        XmlTag root = XmlTag.of("network")
            .attr("connections", !inactive && def.connections() > 0 ? def.connections() : null)
            .attr("ipv6", def.ipv6() ? "yes" : null).yesNo("trustGuestRxFilters", def.trustGuestRxFilters())
            .attr("xmlns:dnsmasq", def.dnsmasqOptions().isEmpty() ? null : DNSMASQ_NS);
        root.textChild("name", def.name()).textChild("uuid", def.uuid());
        if (def.metadata() != null) {
            root.child(XmlTag.of("metadata").raw(def.metadata().stripTrailing()));
        }
        root.child(ForwardXml.format(def.forward(), inactive));
        root.child(formatBridge(def));
        if (def.mtu() != null) {
            root.child(XmlTag.of("mtu").attr("size", def.mtu()));
        }
        if (def.mac() != null) {
            root.child(XmlTag.of("mac").attr("address", def.mac()));
        }
        if (def.domain() != null) {
            root.child(XmlTag.of("domain").attr("name", def.domain().name())
                .yesNo("localOnly", def.domain().localOnly()));
        }
        root.child(DnsXml.format(def.dns()));
        root.child(NetDevXml.formatVlan(def.vlan()));
        root.child(NetDevXml.formatBandwidth(def.bandwidth()));
        if (def.isolatedPort() != null) {
            root.child(XmlTag.of("port").yesNo("isolated", def.isolatedPort()));
        }
        def.ips().forEach(ip -> root.child(IpXml.format(ip)));
        for (NetworkDef.Route r : def.routes()) {
            root.child(XmlTag.of("route").attr("family", r.family()).attr("address", r.address())
                .attr("netmask", r.netmask()).attr("prefix", r.prefix()).attr("gateway", r.gateway())
                .attr("metric", r.metric()));
        }
        root.child(NetDevXml.formatVirtualPort(def.virtualPort()));
        for (PortGroup g : def.portGroups()) {
            root.child(XmlTag.of("portgroup").attr("name", g.name()).attr("default", g.isDefault() ? "yes" : null)
                .yesNo("trustGuestRxFilters", g.trustGuestRxFilters()).child(NetDevXml.formatVlan(g.vlan()))
                .child(NetDevXml.formatVirtualPort(g.virtualPort())).child(NetDevXml.formatBandwidth(g.bandwidth())));
        }
        if (!def.dnsmasqOptions().isEmpty()) {
            XmlTag options = XmlTag.of("dnsmasq:options");
            def.dnsmasqOptions().forEach(o -> options.child(XmlTag.of("dnsmasq:option").attr("value", o)));
            root.child(options);
        }
        return root.toString();
    }

    private static XmlTag formatBridge(NetworkDef def) {
        NetworkDef.Bridge b = def.bridge();
        boolean owns = def.forwardMode().ownsBridge();
        if (!owns && (b == null || (b.name() == null && b.macTableManager() == null))) {
            return null;
        }
        XmlTag tag = XmlTag.of("bridge").attr("name", b == null ? null : b.name())
            .attr("zone", b == null ? null : b.zone());
        if (owns) {
            tag.attr("stp", b == null || b.stp() == null || b.stp() ? "on" : "off")
                .attr("delay", b == null || b.delay() == null ? 0 : b.delay());
        }
        return tag.attr("macTableManager", b == null ? null : b.macTableManager());
    }
}
