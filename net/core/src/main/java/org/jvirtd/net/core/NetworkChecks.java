package org.jvirtd.net.core;

import java.util.Collection;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;
import org.jvirtd.net.host.IpSubnet;
import org.jvirtd.net.host.NetDevices;

/**
 * Checks that keep a network from being half set up: names that cannot become file names or config
 * lines, bridge names another network uses, and subnets that overlap another network or a host route.
 */
final class NetworkChecks {
    private NetworkChecks() {
    }

    /** Quotes would end up inside dnsmasq's config and hosts paths; '/' is refused by the XML parser already. */
    static void name(String name) {
        for (char c : name.toCharArray()) {
            if (c == '\'' || c == '"' || c == '/') {
                throw new VirtException(ErrorCode.XML_DETAIL, ErrorDomain.NETWORK, "invalid char in name: " + c);
            }
        }
    }

    /**
     * A network whose forward mode hands guests to a host bridge or device has no addresses, DNS records,
     * domain or MAC of its own (libvirt checks this when a network is defined or created, after parsing).
     */
    static void hostForwardMode(NetworkDef def) {
        ForwardMode mode = def.forwardMode();
        boolean hostMode = mode == ForwardMode.BRIDGE || mode == ForwardMode.PRIVATE || mode == ForwardMode.VEPA
            || mode == ForwardMode.PASSTHROUGH || mode == ForwardMode.HOSTDEV;
        if (!hostMode) {
            return;
        }
        String element = !def.ips().isEmpty() ? "ip"
            : def.dns() != null && def.dns().hasRecords() ? "dns"
            : def.domain() != null ? "domain"
            : def.mac() != null ? "mac"
            : null;
        if (element != null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK, "Unsupported <" + element
                + "> element in network " + def.name() + " with forward mode='" + mode.xmlName() + "'");
        }
    }

    static void bridgeFree(NetworkDef def, Collection<NetworkDef> others) {
        String bridge = def.bridge() == null ? null : def.bridge().name();
        if (bridge == null || !def.forwardMode().ownsBridge()) {
            return;
        }
        for (NetworkDef other : others) {
            if (!other.name().equals(def.name()) && other.bridge() != null && bridge.equals(other.bridge().name())
                && other.forwardMode().ownsBridge()) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NETWORK,
                    "bridge name '" + bridge + "' already in use.");
            }
        }
    }

    /** Refuses a subnet that overlaps one of another active network or a route the host already has. */
    static void subnetsFree(NetworkDef def, Collection<NetworkDef> active, List<NetDevices.Route> routes) {
        for (NetworkIp ip : def.ips()) {
            IpSubnet subnet = IpSubnet.of(ip);
            for (NetworkDef other : active) {
                if (other.name().equals(def.name())) {
                    continue;
                }
                for (NetworkIp theirs : other.ips()) {
                    if (subnet.overlaps(IpSubnet.of(theirs))) {
                        throw inUse(other.bridge() == null ? other.name() : other.bridge().name());
                    }
                }
            }
            for (NetDevices.Route route : routes) {
                if (subnet.overlaps(route.subnet())) {
                    throw inUse(route.device());
                }
            }
        }
    }

    private static VirtException inUse(String device) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NETWORK,
            "Network is already in use by interface " + device);
    }
}
