package org.jvirtd.model.network;

import java.math.BigInteger;

/**
 * Address arithmetic for network checks: prefixes from netmasks, and whether an address lies in a subnet.
 */
final class NetworkAddresses {
    private NetworkAddresses() {
    }

    static long toLong(byte[] address) {
        return new BigInteger(1, address).longValue();
    }

    /** The prefix length of a contiguous netmask, or -1. */
    static int prefixOf(byte[] netmask) {
        BigInteger mask = new BigInteger(1, netmask);
        int bits = netmask.length * 8;
        int prefix = mask.bitCount();
        BigInteger expected = prefix == 0 ? BigInteger.ZERO
            : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(bits - prefix);
        return mask.equals(expected) ? prefix : -1;
    }

    /** The classful default prefix of an IPv4 address, 64 for IPv6. */
    static int defaultPrefix(byte[] address) {
        if (address.length == 16) {
            return 64;
        }
        int first = address[0] & 0xff;
        return first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : -1;
    }

    /** True when both addresses share their first {@code prefix} bits. */
    static boolean sameSubnet(byte[] a, byte[] b, int prefix) {
        if (a.length != b.length) {
            return false;
        }
        int bits = a.length * 8;
        return new BigInteger(1, a).shiftRight(bits - prefix).equals(new BigInteger(1, b).shiftRight(bits - prefix));
    }
}
