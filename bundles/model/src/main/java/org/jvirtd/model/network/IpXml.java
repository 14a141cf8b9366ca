package org.jvirtd.model.network;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.IpAddresses;
import org.jvirtd.model.internal.MacAddresses;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.w3c.dom.Element;

/**
 * Parse/format of a network's {@code <ip>} element with its DHCP ranges, static hosts, leases and TFTP root.
 */
final class IpXml {
    private static final ErrorDomain D = ErrorDomain.NETWORK;

    private IpXml() {
    }

    static NetworkIp parse(Element e, String network) {
        String family = Dom.attr(e, "family");
        if (family != null && !family.equals("ipv4") && !family.equals("ipv6")) {
            throw Errors.xml(D, "Unrecognized family '" + family + "' in network '" + network + "'");
        }
        String addressText = Dom.attr(e, "address");
        byte[] address = IpAddresses.parse(addressText);
        if (addressText == null) {
            throw Errors.xml(D, "Missing required address attribute in network '" + network + "'");
        }
        if (address == null) {
            throw Errors.xml(D, "Invalid address '" + addressText + "' in network '" + network + "'");
        }
        String kind = address.length == 16 ? "IPv6" : "IPv4";
        // libvirt words the two cases differently
        if ("ipv4".equals(family) && address.length == 16) {
            throw Errors.unsupported(D, "ipv4 family specified for non-IPv4 address '" + addressText + "' in network '"
                + network + "'");
        }
        if ("ipv6".equals(family) && address.length == 4) {
            throw Errors.unsupported(D, "Family 'ipv6' specified for non-IPv6 address '" + addressText
                + "' in network '" + network + "'");
        }
        String netmaskText = Dom.attr(e, "netmask");
        String prefixText = Dom.attr(e, "prefix");
        byte[] netmask = null;
        if (netmaskText != null) {
            netmask = IpAddresses.parse(netmaskText);
            if (netmask == null) {
                throw Errors.xml(D, "Invalid netmask '" + netmaskText + "' in network '" + network + "'");
            }
        }
        Integer prefix = null;
        if (prefixText != null) {
            if (!prefixText.strip().matches("\\d{1,3}")) {
                throw Errors.xml(D, "Invalid value for attribute 'prefix' in element 'ip': '" + prefixText
                    + "'. Expected non-negative integer value");
            }
            prefix = Integer.parseInt(prefixText.strip());
        }
        // the checks libvirt makes once the element is read, in its order
        if (netmask != null && address.length == 16) {
            throw Errors.unsupported(D, "netmask not allowed for IPv6 address '" + addressText + "' in network '"
                + network + "'");
        }
        if (netmask != null && prefix != null) {
            throw Errors.unsupported(D, "Network '" + network + "' IP address cannot have both a prefix and a netmask");
        }
        if (prefix != null && prefix > address.length * 8) {
            throw Errors.unsupported(D, "Invalid " + kind + " prefix '" + prefixText + "' in network '" + network + "'");
        }
        int effectivePrefix = prefix != null && prefix > 0 ? prefix
            : netmask != null ? NetworkAddresses.prefixOf(netmask) : NetworkAddresses.defaultPrefix(address);
        Element tftp = Dom.child(e, "tftp");
        String tftpRoot = null;
        if (tftp != null) {
            if (address.length == 16) {
                throw Errors.unsupported(D, "Unsupported <tftp> element in an IPv6 element in network '" + network + "'");
            }
            tftpRoot = Dom.attr(tftp, "root");
        }
        NetworkIp.Dhcp dhcp = parseDhcp(Dom.child(e, "dhcp"), address, effectivePrefix, network);
        return new NetworkIp(family, IpAddresses.format(address),
            netmask == null ? null : IpAddresses.format(netmask), prefix,
            YesNo.parse(D, "localPtr", Dom.attr(e, "localPtr")), tftpRoot, dhcp);
    }

    private static NetworkIp.Dhcp parseDhcp(Element e, byte[] address, int prefix, String network) {
        if (e == null) {
            return null;
        }
        boolean v6 = address.length == 16;
        List<NetworkIp.Range> ranges = new ArrayList<>();
        for (Element r : Dom.children(e, "range")) {
            byte[] start = rangeEnd(r, "start", network);
            byte[] end = rangeEnd(r, "end", network);
            if (prefix < 0) {
                // libvirt's message has the two spaces
                throw Errors.internal(D, "bad prefix " + prefix + " for network " + IpAddresses.format(address)
                    + " when  checking range " + IpAddresses.format(start) + " - " + IpAddresses.format(end));
            }
            if (start.length != address.length || end.length != address.length || prefix < 0
                || !NetworkAddresses.sameSubnet(start, address, prefix)
                || !NetworkAddresses.sameSubnet(end, address, prefix)) {
                throw Errors.internal(D, "range " + IpAddresses.format(start) + " - " + IpAddresses.format(end)
                    + " is not entirely within network " + IpAddresses.format(address) + "/" + prefix);
            }
            if (new java.math.BigInteger(1, start).compareTo(new java.math.BigInteger(1, end)) > 0) {
                // libvirt's message ends in a space
                throw Errors.internal(D, "range " + IpAddresses.format(start) + " - " + IpAddresses.format(end)
                    + " is reversed ");
            }
            ranges.add(new NetworkIp.Range(IpAddresses.format(start), IpAddresses.format(end),
                parseLease(Dom.child(r, "lease"), network)));
        }
        List<NetworkIp.Host> hosts = new ArrayList<>();
        for (Element h : Dom.children(e, "host")) {
            hosts.add(parseHost(h, v6, network));
        }
        Element bootp = Dom.child(e, "bootp");
        String file = null;
        String server = null;
        if (bootp != null) {
            if (v6) {
                throw Errors.xml(D, "Unsupported <bootp> element in an IPv6 element in network '" + network + "'");
            }
            // libvirt skips a <bootp> without a file
            file = Dom.attr(bootp, "file");
            server = file == null ? null : Dom.attr(bootp, "server");
        }
        return new NetworkIp.Dhcp(ranges, hosts, file, server);
    }

    private static NetworkIp.Host parseHost(Element h, boolean v6, String network) {
        String mac = Dom.attr(h, "mac");
        String id = Dom.attr(h, "id");
        String name = Dom.attr(h, "name");
        String ipText = Dom.attr(h, "ip");
        if (mac != null) {
            if (v6) {
                throw Errors.xml(D, "Invalid to specify MAC address '" + mac + "' in network '" + network
                    + "' IPv6 static host definition");
            }
            mac = canonicalHostMac(mac, network);
            if (MacAddresses.isMulticast(mac)) {
                throw Errors.xml(D, "expected unicast mac address, found multicast '" + mac + "' in network '"
                    + network + "'");
            }
        }
        if (id != null && !v6) {
            throw Errors.xml(D, "Invalid to specify id '" + id + "' in network '" + network
                + "' IPv4 static host definition");
        }
        byte[] ip = IpAddresses.parse(ipText);
        if (ipText != null && (ip == null || (ip.length == 16) != v6)) {
            throw Errors.xml(D, "Invalid IP address in static host definition for network '" + network + "'");
        }
        if (!v6 && mac == null && name == null) {
            throw Errors.xml(D, "Static host definition in IPv4 network '" + network + "' must have mac or name attribute");
        }
        if (v6 && id == null && name == null) {
            throw Errors.xml(D, "Static host definition in IPv6 network '" + network + "' must have id or name attribute");
        }
        if (ip == null) {
            throw Errors.xml(D, "Missing IP address in static host definition for network '" + network + "'");
        }
        return new NetworkIp.Host(mac, id, name, IpAddresses.format(ip), parseLease(Dom.child(h, "lease"), network));
    }

    private static String canonicalHostMac(String mac, String network) {
        try {
            return MacAddresses.canonical(D, mac, "MAC address");
        } catch (RuntimeException e) {
            throw Errors.xml(D, "Cannot parse MAC address '" + mac + "' in network '" + network + "'");
        }
    }

    private static byte[] rangeEnd(Element range, String attribute, String network) {
        String text = Dom.attr(range, attribute);
        if (text == null) {
            throw Errors.xml(D, "Missing '" + attribute + "' attribute in dhcp range for network '" + network + "'");
        }
        byte[] address = IpAddresses.parse(text);
        if (address == null) {
            // libvirt resolves the text with getaddrinfo, which fails so
            throw new VirtException(ErrorCode.SYSTEM_ERROR, D, "Cannot parse socket address '" + text
                + "': Name or service not known");
        }
        return address;
    }

    private static NetworkIp.Lease parseLease(Element e, String network) {
        if (e == null) {
            return null;
        }
        String expiryText = Dom.attr(e, "expiry");
        if (expiryText == null || !expiryText.strip().matches("\\d{1,18}")) {
            throw Errors.xml(D, "failed to parse value of 'expiry' in <lease> of network '" + network + "'");
        }
        long expiry = Long.parseLong(expiryText.strip());
        String unit = Dom.attr(e, "unit");
        long seconds;
        if (unit == null || unit.equals("minutes")) {
            unit = "minutes";
            seconds = expiry * 60;
        } else if (unit.equals("seconds")) {
            seconds = expiry;
        } else if (unit.equals("hours")) {
            seconds = expiry * 3600;
        } else {
            throw Errors.xml(D, "invalid value for 'unit' in <lease> of network '" + network + "': '" + unit + "'");
        }
        if (expiry > 0 && seconds < 120) {
            throw Errors.unsupported(D, "The minimum lease time should be greater than 2 minutes");
        }
        return new NetworkIp.Lease(expiry, expiry == 0 ? null : unit);
    }

    static XmlTag format(NetworkIp ip) {
        XmlTag tag = XmlTag.of("ip").attr("family", ip.family()).attr("address", ip.address())
            .attr("netmask", ip.netmask()).attr("prefix", ip.prefix() != null && ip.prefix() > 0 ? ip.prefix() : null)
            .yesNo("localPtr", ip.localPtr()).keepOpen();
        if (ip.tftpRoot() != null) {
            tag.child(XmlTag.of("tftp").attr("root", ip.tftpRoot()));
        }
        NetworkIp.Dhcp dhcp = ip.dhcp();
        if (dhcp != null && !dhcp.isEmpty()) {
            XmlTag d = XmlTag.of("dhcp");
            for (NetworkIp.Range r : dhcp.ranges()) {
                d.child(XmlTag.of("range").attr("start", r.start()).attr("end", r.end()).child(lease(r.lease())));
            }
            for (NetworkIp.Host h : dhcp.hosts()) {
                d.child(XmlTag.of("host").attr("mac", h.mac()).attr("id", h.id()).attr("name", h.name())
                    .attr("ip", h.ip()).child(lease(h.lease())));
            }
            if (dhcp.bootFile() != null) {
                d.child(XmlTag.of("bootp").attr("file", dhcp.bootFile()).attr("server", dhcp.bootServer()));
            }
            tag.child(d);
        }
        return tag;
    }

    private static XmlTag lease(NetworkIp.Lease lease) {
        return lease == null ? null : XmlTag.of("lease").attr("expiry", lease.expiry()).attr("unit", lease.unit());
    }
}
