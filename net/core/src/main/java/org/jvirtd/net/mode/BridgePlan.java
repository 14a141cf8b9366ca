package org.jvirtd.net.mode;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.host.IpSubnet;

/**
 * What a network needs on the host, computed from its definition by its forward mode: the bridge (created
 * by the network, or an existing one it only joins), its addresses, and whether DHCP/DNS and firewall
 * rules go with it.
 */
public record BridgePlan(String bridge, boolean createBridge, String mac, Integer mtu, boolean stp, long delay,
                         List<IpSubnet> addresses, boolean dhcpDns, boolean firewall) {
    public BridgePlan {
        addresses = List.copyOf(addresses);
    }

    /** A bridge the network creates and owns (nat, route, isolated, open). */
    public static BridgePlan virtual(NetworkDef def, boolean firewall) {
        if (def.bridge() == null || def.bridge().name() == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NETWORK,
                "network '" + def.name() + "' has no bridge name defined");
        }
        NetworkDef.Bridge b = def.bridge();
        return new BridgePlan(b.name(), true, def.mac(), def.mtu(), b.stp() == null || b.stp(),
            b.delay() == null ? 0 : b.delay(), def.ips().stream().map(IpSubnet::of).toList(), true, firewall);
    }

    /** An existing host bridge guests join (forward mode bridge): nothing is created. */
    public static BridgePlan existing(NetworkDef def) {
        if (def.bridge() == null || def.bridge().name() == null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK,
                "network '" + def.name() + "' has forward mode bridge but no bridge name; macvtap is not supported");
        }
        return new BridgePlan(def.bridge().name(), false, null, null, false, 0, List.of(), false, false);
    }
}
