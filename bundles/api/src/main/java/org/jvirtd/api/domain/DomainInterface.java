package org.jvirtd.api.domain;

import java.util.List;

/** One virDomainInterface: an interface of a guest, its MAC address and the IP addresses it holds. */
public record DomainInterface(String name, String hwaddr, List<Address> addresses) {
    /** virDomainInterfaceAddressesSource. */
    public static final int SOURCE_LEASE = 0;
    public static final int SOURCE_AGENT = 1;
    public static final int SOURCE_ARP = 2;

    /** virDomainIPAddress: type 0 for IPv4, 1 for IPv6; the prefix length (0 where unknown). */
    public record Address(int type, String address, int prefix) {
    }
}
