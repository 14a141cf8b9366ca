package org.jvirtd.model.network;

/**
 * {@code <portgroup>}: a named set of port settings guests can pick.
 */
public record PortGroup(String name, boolean isDefault, Boolean trustGuestRxFilters, VirtualPort virtualPort,
                        Bandwidth bandwidth, Vlan vlan) {
}
