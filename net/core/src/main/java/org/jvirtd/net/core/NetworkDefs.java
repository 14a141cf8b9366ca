package org.jvirtd.net.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;

/**
 * Copies of network definitions with one part changed, and the defaults libvirt fills in when a network
 * is defined: a free virbrN bridge name and a bridge MAC address for modes that own their bridge.
 */
final class NetworkDefs {
    private NetworkDefs() {
    }

    static NetworkDef withBridgeAndMac(NetworkDef d, NetworkDef.Bridge bridge, String mac) {
        return new NetworkDef(d.name(), d.uuid(), d.ipv6(), d.trustGuestRxFilters(), d.connections(), d.metadata(),
            d.forward(), bridge, d.mtu(), mac, d.domain(), d.dns(), d.vlan(), d.bandwidth(), d.isolatedPort(),
            d.ips(), d.routes(), d.virtualPort(), d.portGroups(), d.dnsmasqOptions());
    }

    static NetworkDef withIps(NetworkDef d, List<NetworkIp> ips) {
        return new NetworkDef(d.name(), d.uuid(), d.ipv6(), d.trustGuestRxFilters(), d.connections(), d.metadata(),
            d.forward(), d.bridge(), d.mtu(), d.mac(), d.domain(), d.dns(), d.vlan(), d.bandwidth(), d.isolatedPort(),
            ips, d.routes(), d.virtualPort(), d.portGroups(), d.dnsmasqOptions());
    }

    /**
     * Fills in a bridge name (the first virbrN, or the name's %d template, that neither {@code taken} nor
     * a host device uses) and a 52:54:00 MAC, for modes that own their bridge.
     */
    static NetworkDef withDefaults(NetworkDef def, Predicate<String> taken) {
        if (!def.forwardMode().ownsBridge()) {
            return def;
        }
        NetworkDef.Bridge b = def.bridge();
        String name = b == null ? null : b.name();
        if (name == null || name.contains("%d")) {
            String template = name == null ? "virbr%d" : name;
            int n = 0;
            while (taken.test(template.replace("%d", Integer.toString(n)))) {
                n++;
            }
            name = template.replace("%d", Integer.toString(n));
        }
        NetworkDef.Bridge bridge = b == null ? new NetworkDef.Bridge(name, null, null, null, null)
            : new NetworkDef.Bridge(name, b.zone(), b.stp(), b.delay(), b.macTableManager());
        String mac = def.mac();
        if (mac == null) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            mac = String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
        }
        return withBridgeAndMac(def, bridge, mac);
    }
}
