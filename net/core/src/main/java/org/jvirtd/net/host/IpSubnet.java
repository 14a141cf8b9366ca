package org.jvirtd.net.host;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jvirtd.model.network.NetworkIp;

/**
 * An address with its prefix length, and the address arithmetic networks need: the subnet in CIDR form,
 * the IPv4 netmask, overlap and containment, range sizes and reverse DNS zones.
 */
public record IpSubnet(byte[] address, int prefix) {

    /** The {@code <ip>}'s subnet: prefix from prefix=, else netmask=, else classful (IPv4) or 64 (IPv6). */
    public static IpSubnet of(NetworkIp ip) {
        byte[] address = parse(ip.address());
        int prefix;
        if (ip.prefix() != null && ip.prefix() > 0) {
            prefix = ip.prefix();
        } else if (ip.netmask() != null) {
            prefix = new BigInteger(1, parse(ip.netmask())).bitCount();
        } else if (address.length == 16) {
            prefix = 64;
        } else {
            int first = address[0] & 0xff;
            prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
        }
        return new IpSubnet(address, prefix);
    }

    public static byte[] parse(String text) {
        if (text == null || !(text.indexOf(':') >= 0 || text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    private int bits() {
        return address.length * 8;
    }

    private BigInteger mask() {
        return BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
    }

    /** The network address (host bits cleared). */
    public String network() {
        return format(toBytes(new BigInteger(1, address).and(mask()), address.length));
    }

    /** {@code network/prefix}, as firewall rules and routes write a subnet. */
    public String cidr() {
        return network() + "/" + prefix;
    }

    /** The address itself with its prefix ({@code 192.168.122.1/24}), as {@code ip addr add} takes it. */
    public String addressWithPrefix() {
        return format(address) + "/" + prefix;
    }

    /** The IPv4 netmask in dotted form. */
    public String netmask() {
        return format(toBytes(mask(), address.length));
    }

    public boolean contains(String other) {
        byte[] b = parse(other);
        return b.length == address.length && new BigInteger(1, b).and(mask()).equals(new BigInteger(1, address).and(mask()));
    }

    /** True when the two subnets share any address. */
    public boolean overlaps(IpSubnet other) {
        if (other.address.length != address.length) {
            return false;
        }
        IpSubnet wider = other.prefix < prefix ? other : this;
        IpSubnet narrower = wider == this ? other : this;
        return wider.contains(format(narrower.address));
    }

    /** How many addresses lie between start and end, both included. */
    public static long rangeSize(String start, String end) {
        return new BigInteger(1, parse(end)).subtract(new BigInteger(1, parse(start))).add(BigInteger.ONE).longValue();
    }

    /**
     * The reverse DNS zone of the subnet ({@code 122.168.192.in-addr.arpa}), or null when the prefix does not
     * fall on an octet (IPv4) or nibble (IPv6) boundary.
     */
    public String ptrDomain() {
        StringBuilder zone = new StringBuilder();
        if (isIpv6()) {
            if (prefix % 4 != 0 || prefix >= 128) {
                return null;
            }
            for (int nibble = prefix / 4 - 1; nibble >= 0; nibble--) {
                int value = (address[nibble / 2] >> (nibble % 2 == 0 ? 4 : 0)) & 0xf;
                zone.append(Integer.toHexString(value)).append('.');
            }
            return zone.append("ip6.arpa").toString();
        }
        if (prefix % 8 != 0 || prefix >= 32) {
            return null;
        }
        for (int octet = prefix / 8 - 1; octet >= 0; octet--) {
            zone.append(address[octet] & 0xff).append('.');
        }
        return zone.append("in-addr.arpa").toString();
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /** Dotted IPv4, or IPv6 in RFC 5952 form (lower case, longest zero run compressed). */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpSubnet s && s.prefix == prefix && java.util.Arrays.equals(s.address, address);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(address) * 31 + prefix;
    }

    @Override
    public String toString() {
        return addressWithPrefix();
    }
}
