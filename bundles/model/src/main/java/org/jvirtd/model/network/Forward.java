package org.jvirtd.model.network;

import java.util.List;

/**
 * {@code <forward>}: how guest traffic leaves the network.
 *
 * @param interfaces the {@code <interface dev>} names, the forward dev first
 * @param addresses PCI addresses of a hostdev/passthrough pool of virtual functions
 */
public record Forward(ForwardMode mode, Boolean managed, String driverName, Nat nat, String pf,
                     List<String> interfaces, List<PciAddress> addresses) {
    public Forward {
        interfaces = List.copyOf(interfaces);
        addresses = List.copyOf(addresses);
    }

    /** {@code <nat>}: SNAT address and port ranges, and whether IPv6 is masqueraded too. */
    public record Nat(String addressStart, String addressEnd, Integer portStart, Integer portEnd, Boolean ipv6) {
        boolean isEmpty() {
            return addressStart == null && addressEnd == null && portStart == null && portEnd == null
                && ipv6 == null;
        }
    }

    /** A PCI address domain:bus:slot.function. */
    public record PciAddress(int domain, int bus, int slot, int function) {
        @Override
        public String toString() {
            return String.format("%04x:%02x:%02x.%d", domain, bus, slot, function);
        }
    }
}
