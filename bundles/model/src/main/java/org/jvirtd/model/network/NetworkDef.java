package org.jvirtd.model.network;

import java.util.List;
import java.util.UUID;

/**
 * A parsed virtual network definition ({@code <network>}).
 *
 * @param metadata the {@code <metadata>} children as written by libxml2, or null
 * @param forward null for an isolated network
 * @param dnsmasqOptions values of {@code <dnsmasq:option>} in the dnsmasq namespace extension
 */
public record NetworkDef(String name, UUID uuid, boolean ipv6, Boolean trustGuestRxFilters, int connections,
                         String metadata, Forward forward, Bridge bridge, Integer mtu, String mac,
                         DnsDomain domain, Dns dns, Vlan vlan, Bandwidth bandwidth, Boolean isolatedPort,
                         List<NetworkIp> ips, List<Route> routes, VirtualPort virtualPort,
                         List<PortGroup> portGroups, List<String> dnsmasqOptions) {
    public NetworkDef {
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        portGroups = List.copyOf(portGroups);
        dnsmasqOptions = List.copyOf(dnsmasqOptions);
    }

    /** The forward mode, NONE for an isolated network. */
    public ForwardMode forwardMode() {
        return forward == null ? ForwardMode.NONE : forward.mode();
    }

    /** {@code <domain name='D' localOnly='yes|no'/>}. */
    public record DnsDomain(String name, Boolean localOnly) {
    }

    /** {@code <bridge>}: stp and delay are defaulted for modes that own the bridge. */
    public record Bridge(String name, String zone, Boolean stp, Long delay, String macTableManager) {
    }

    /** {@code <route>}: a static route the network adds to the host. */
    public record Route(String family, String address, String netmask, Integer prefix, String gateway,
                        Long metric) {
    }
}
