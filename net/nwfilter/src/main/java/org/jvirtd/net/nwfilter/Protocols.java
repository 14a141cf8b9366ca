package org.jvirtd.net.nwfilter;

import static org.jvirtd.net.nwfilter.AttributeType.BOOLEAN;
import static org.jvirtd.net.nwfilter.AttributeType.DSCP;
import static org.jvirtd.net.nwfilter.AttributeType.HEX16;
import static org.jvirtd.net.nwfilter.AttributeType.HEX8;
import static org.jvirtd.net.nwfilter.AttributeType.IPV4;
import static org.jvirtd.net.nwfilter.AttributeType.IPV4_MASK;
import static org.jvirtd.net.nwfilter.AttributeType.IPV6;
import static org.jvirtd.net.nwfilter.AttributeType.IPV6_MASK;
import static org.jvirtd.net.nwfilter.AttributeType.IPV6_PROTOCOL;
import static org.jvirtd.net.nwfilter.AttributeType.IP_PROTOCOL;
import static org.jvirtd.net.nwfilter.AttributeType.MAC;
import static org.jvirtd.net.nwfilter.AttributeType.MAC_MASK;
import static org.jvirtd.net.nwfilter.AttributeType.PORT;
import static org.jvirtd.net.nwfilter.AttributeType.PROTOCOL_ID;
import static org.jvirtd.net.nwfilter.AttributeType.STATE;
import static org.jvirtd.net.nwfilter.AttributeType.STRING;
import static org.jvirtd.net.nwfilter.AttributeType.TCP_FLAGS;
import static org.jvirtd.net.nwfilter.AttributeType.UINT16;
import static org.jvirtd.net.nwfilter.AttributeType.UINT32;
import static org.jvirtd.net.nwfilter.AttributeType.UINT8;
import static org.jvirtd.net.nwfilter.AttributeType.VLAN_ID;
import static org.jvirtd.net.nwfilter.AttributeType.ARP_OPCODE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol elements a rule may hold and, for each, its attributes in the order libvirt 9.0 writes them, with
 * their value types; whether ebtables (layer 2) or iptables/ip6tables (layer 3) carries the rule.
 */
final class Protocols {
    /** One attribute of a protocol element. */
    record Attribute(String name, AttributeType type) {
    }

    /** A protocol element: its attributes in libvirt's order and the tool that filters it. */
    record Protocol(String name, List<Attribute> attributes, Layer layer) {
        Attribute attribute(String attributeName) {
            return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst().orElse(null);
        }
    }

    enum Layer { EBTABLES, IPTABLES, IP6TABLES }

    private static final Map<String, Protocol> BY_NAME = new LinkedHashMap<>();

    static {
        List<Attribute> mac = attrs("srcmacaddr", MAC, "srcmacmask", MAC_MASK, "dstmacaddr", MAC, "dstmacmask", MAC_MASK);
        l2("mac", mac, attrs("protocolid", PROTOCOL_ID));
        l2("vlan", mac, attrs("vlanid", VLAN_ID, "encap-protocol", PROTOCOL_ID));
        l2("stp", attrs("srcmacaddr", MAC, "srcmacmask", MAC_MASK), attrs("type", HEX8, "flags", HEX8,
            "root-priority", UINT16, "root-priority-hi", UINT16, "root-address", MAC, "root-address-mask", MAC_MASK,
            "root-cost", UINT32, "root-cost-hi", UINT32, "sender-priority", UINT16, "sender-priority-hi", UINT16,
            "sender-address", MAC, "sender-address-mask", MAC_MASK, "port", UINT16, "port-hi", UINT16,
            "max-age", UINT16, "max-age-hi", UINT16,
            "hello-time", UINT16, "hello-time-hi", UINT16, "forward-delay", UINT16, "forward-delay-hi", UINT16));
        List<Attribute> arp = attrs("hwtype", UINT16, "protocoltype", HEX16, "opcode", ARP_OPCODE,
            "arpsrcmacaddr", MAC, "arpdstmacaddr", MAC, "arpsrcipaddr", IPV4, "arpsrcipmask", IPV4_MASK,
            "arpdstipaddr", IPV4, "arpdstipmask", IPV4_MASK, "gratuitous", BOOLEAN);
        l2("arp", mac, arp);
        l2("rarp", mac, arp);
        List<Attribute> ports = attrs("srcportstart", PORT, "srcportend", PORT, "dstportstart", PORT,
            "dstportend", PORT);
        l2("ip", mac, concat(attrs("srcipaddr", IPV4, "srcipmask", IPV4_MASK, "dstipaddr", IPV4,
            "dstipmask", IPV4_MASK, "protocol", IP_PROTOCOL), ports, attrs("dscp", DSCP)));
        l2("ipv6", mac, concat(attrs("srcipaddr", IPV6, "srcipmask", IPV6_MASK, "dstipaddr", IPV6,
            "dstipmask", IPV6_MASK, "protocol", IPV6_PROTOCOL), ports, attrs("type", UINT8, "typeend", UINT8,
            "code", UINT8, "codeend", UINT8)));
        for (Layer layer : List.of(Layer.IPTABLES, Layer.IP6TABLES)) {
            AttributeType ip = layer == Layer.IPTABLES ? IPV4 : IPV6;
            AttributeType mask = layer == Layer.IPTABLES ? IPV4_MASK : IPV6_MASK;
            String suffix = layer == Layer.IPTABLES ? "" : "-ipv6";
            List<Attribute> common = attrs("srcmacaddr", MAC, "srcipaddr", ip, "srcipmask", mask, "dstipaddr", ip,
                "dstipmask", mask, "srcipfrom", ip, "srcipto", ip, "dstipfrom", ip, "dstipto", ip, "dscp", DSCP,
                "state", STATE);
            l3("tcp" + suffix, layer, common, concat(ports, attrs("option", UINT8, "flags", TCP_FLAGS)));
            l3("udp" + suffix, layer, common, ports);
            l3("sctp" + suffix, layer, common, ports);
            l3("udplite" + suffix, layer, common, List.of());
            l3("esp" + suffix, layer, common, List.of());
            l3("ah" + suffix, layer, common, List.of());
            l3("all" + suffix, layer, common, List.of());
            l3(layer == Layer.IPTABLES ? "icmp" : "icmpv6", layer, common, attrs("type", UINT8, "code", UINT8));
            if (layer == Layer.IPTABLES) {
                l3("igmp", layer, common, List.of());
            }
        }
    }

    private Protocols() {
    }

    static Protocol byName(String name) {
        return BY_NAME.get(name);
    }

    private static void l2(String name, List<Attribute> head, List<Attribute> tail) {
        BY_NAME.put(name, new Protocol(name, concat(head, tail, attrs("comment", STRING)), Layer.EBTABLES));
    }

    private static void l3(String name, Layer layer, List<Attribute> head, List<Attribute> tail) {
        BY_NAME.put(name, new Protocol(name, concat(head, tail, attrs("comment", STRING)), layer));
    }

    @SafeVarargs
    private static List<Attribute> concat(List<Attribute>... lists) {
        List<Attribute> out = new ArrayList<>();
        for (List<Attribute> list : lists) {
            out.addAll(list);
        }
        return List.copyOf(out);
    }

    private static List<Attribute> attrs(Object... pairs) {
        List<Attribute> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(new Attribute((String) pairs[i], (AttributeType) pairs[i + 1]));
        }
        return out;
    }
}
