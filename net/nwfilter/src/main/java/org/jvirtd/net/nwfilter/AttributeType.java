package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kinds of value a protocol attribute of libvirt's filter language holds, each with libvirt's check and the
 * form libvirt writes it back in (numbers given in hex stay hex, IPv4 addresses as inet_aton reads them, MAC
 * addresses in lower case). A value may also be a variable ({@code $IP}, {@code $IP[@1]}), kept as written.
 */
enum AttributeType {
    MAC, MAC_MASK, IPV4, IPV4_MASK, IPV6, IPV6_MASK, UINT8, UINT16, UINT32, DSCP, VLAN_ID, PORT, HEX8, HEX16,
    PROTOCOL_ID, ARP_OPCODE, IP_PROTOCOL, IPV6_PROTOCOL, STATE, TCP_FLAGS, BOOLEAN, STRING, IPSET, IPSET_FLAGS;

    private static final Pattern VARIABLE = Pattern.compile("\\$[a-zA-Z0-9_]+(\\[@?[0-9]+\\])?");
    private static final Pattern MAC_ADDRESS = Pattern.compile("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}");
    private static final List<String> MAC_PROTOCOLS = List.of("arp", "rarp", "ipv4", "ipv6", "vlan");
    private static final Map<Integer, String> ETHER_TYPE_NAMES = Map.of(0x0806, "arp",
        0x8035, "rarp", 0x0800, "ipv4", 0x86dd, "ipv6", 0x8100, "vlan");
    private static final List<String> ARP_OPCODES = List.of("Request", "Reply", "Request_Reverse", "Reply_Reverse",
        "DRARP_Request", "DRARP_Reply", "DRARP_Error", "InARP_Request", "ARP_NAK");
    private static final List<String> IP_PROTOCOLS = List.of("tcp", "udp", "udplite", "esp", "ah", "icmp", "igmp",
        "sctp");
    private static final List<String> IPV6_PROTOCOLS = List.of("tcp", "udp", "udplite", "esp", "ah", "icmpv6",
        "sctp");
    /** The connection states in the order libvirt writes them. */
    static final List<String> STATES = List.of("NEW", "ESTABLISHED", "RELATED", "INVALID", "NONE");
    private static final Set<String> TCP_FLAG_NAMES = Set.of("SYN", "ACK", "URG", "PSH", "FIN", "RST", "ALL", "NONE");

    static boolean isVariable(String value) {
        return VARIABLE.matcher(value).matches();
    }

    /** The value as libvirt writes it back, or null when libvirt calls it an illegal value. */
    String normalize(String value) {
        if (isVariable(value)) {
            return value;
        }
        return switch (this) {
            case MAC, MAC_MASK -> MAC_ADDRESS.matcher(value).matches() ? mac(value) : null;
            case IPV4 -> ipv4(value);
            case IPV4_MASK -> ipv4Mask(value);
            case IPV6 -> value.contains(":") && ipv6(value) ? value : null;
            case IPV6_MASK -> ipv6Mask(value);
            case UINT8 -> number(value, 0xff);
            case UINT16, PORT -> number(value, 0xffff);
            case UINT32 -> number(value, 0xffffffffL);
            case HEX8 -> number(value, 0xff);
            case HEX16 -> number(value, 0xffff);
            case DSCP -> number(value, 63);
            case VLAN_ID -> number(value, 4095);
            case PROTOCOL_ID -> protocolId(value);
            case ARP_OPCODE -> ARP_OPCODES.contains(value) ? value : number(value, 0xffff);
            case IP_PROTOCOL -> IP_PROTOCOLS.contains(value) ? value : number(value, 0xff);
            case IPV6_PROTOCOL -> IPV6_PROTOCOLS.contains(value) ? value : number(value, 0xff);
            case STATE -> states(value);
            case TCP_FLAGS -> tcpFlags(value);
            case BOOLEAN -> bool(value);
            case STRING -> value.length() <= 256 ? value : null;
            case IPSET -> value.length() <= 31 && !value.isEmpty() ? value : null;
            case IPSET_FLAGS -> value.matches("(src|dst)(,(src|dst)){0,5}") ? value : null;
        };
    }

    private static String mac(String value) {
        StringBuilder out = new StringBuilder();
        for (String part : value.split(":")) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(String.format("%02x", Integer.parseInt(part, 16)));
        }
        return out.toString();
    }

    /** A number: decimal, or hex with or without 0x (written back as 0x...), as libvirt reads them. */
    private static String number(String value, long max) {
        try {
            long n = Long.parseLong(value);
            return n >= 0 && n <= max ? Long.toString(n) : null;
        } catch (NumberFormatException notDecimal) {
            String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
            try {
                long n = Long.parseLong(digits, 16);
                return n >= 0 && n <= max ? "0x" + Long.toHexString(n) : null;
            } catch (NumberFormatException notHex) {
                return null;
            }
        }
    }

    /**
     * An ethernet protocol: a name, or a number of at least 0x600, decimal or else hex as libvirt reads it; a
     * number that is one of the named protocols is written as its name (2054, 0x806 and 0X806 are all arp).
     */
    private static String protocolId(String value) {
        if (MAC_PROTOCOLS.contains(value)) {
            return value;
        }
        String n = number(value, 0xffff);
        if (n == null || Long.decode(n) < 0x600) {
            return null;
        }
        String name = ETHER_TYPE_NAMES.get(Long.decode(n).intValue());
        return name != null ? name : n;
    }

    /** inet_aton's reading: a, a.b, a.b.c or a.b.c.d, the last part filling the remaining bytes. */
    static String ipv4(String value) {
        if (!value.matches("[0-9]+(\\.[0-9]+){0,3}")) {
            return null;
        }
        String[] parts = value.split("\\.");
        long[] n = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (n[i] > 255) {
                return null;
            }
            address |= n[i] << (24 - 8 * i);
        }
        long last = n[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            return null;
        }
        address |= last;
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    private static String ipv4Mask(String value) {
        if (value.matches("[0-9]{1,2}")) {
            return Integer.parseInt(value) <= 32 ? Integer.toString(Integer.parseInt(value)) : null;
        }
        String address = ipv4(value);
        if (address == null) {
            return null;
        }
        long bits = 0;
        for (String part : address.split("\\.")) {
            bits = bits << 8 | Long.parseLong(part);
        }
        int prefix = Long.bitCount(bits);
        return bits == ((0xffffffffL << (32 - prefix)) & 0xffffffffL) ? Integer.toString(prefix) : null;
    }

    private static boolean ipv6(String value) {
        try {
            return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String ipv6Mask(String value) {
        if (value.matches("[0-9]{1,3}")) {
            return Integer.parseInt(value) <= 128 ? Integer.toString(Integer.parseInt(value)) : null;
        }
        return value.contains(":") && ipv6(value) ? value : null;
    }

    private static String states(String value) {
        List<String> given = new ArrayList<>();
        for (String s : value.split(",")) {
            String state = s.strip().toUpperCase(Locale.ROOT);
            if (!STATES.contains(state)) {
                return null;
            }
            given.add(state);
        }
        return String.join(",", STATES.stream().filter(given::contains).toList());
    }

    /** {@code MASK/FLAGS}, each a comma list of TCP flag names. */
    private static String tcpFlags(String value) {
        String[] halves = value.split("/", -1);
        if (halves.length != 2) {
            return null;
        }
        for (String half : halves) {
            for (String flag : half.split(",", -1)) {
                if (!TCP_FLAG_NAMES.contains(flag)) {
                    return null;
                }
            }
        }
        return value;
    }

    private static String bool(String value) {
        return switch (value) {
            case "true", "1" -> "true";
            case "false", "0" -> "false";
            default -> null;
        };
    }
}
