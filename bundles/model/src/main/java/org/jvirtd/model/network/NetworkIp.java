package org.jvirtd.model.network;

import java.util.List;

/**
 * An {@code <ip>} of a network: the host side address, and the DHCP and TFTP service on it.
 */
public record NetworkIp(String family, String address, String netmask, Integer prefix, Boolean localPtr,
                        String tftpRoot, Dhcp dhcp) {

    /** True for an IPv6 address (by family, or by the address itself). */
    public boolean isIpv6() {
        return "ipv6".equals(family) || (address != null && address.indexOf(':') >= 0);
    }

    /** {@code <dhcp>}: ranges, static hosts and the boot server. */
    public record Dhcp(List<Range> ranges, List<Host> hosts, String bootFile, String bootServer) {
        public Dhcp {
            ranges = List.copyOf(ranges);
            hosts = List.copyOf(hosts);
        }

        public boolean isEmpty() {
            return ranges.isEmpty() && hosts.isEmpty() && bootFile == null;
        }
    }

    /** {@code <range start end>} with an optional lease. */
    public record Range(String start, String end, Lease lease) {
    }

    /** {@code <host mac|id name ip>} with an optional lease. */
    public record Host(String mac, String id, String name, String ip, Lease lease) {
    }

    /** {@code <lease expiry unit/>}; expiry 0 means infinite and carries no unit. */
    public record Lease(long expiry, String unit) {
    }
}
