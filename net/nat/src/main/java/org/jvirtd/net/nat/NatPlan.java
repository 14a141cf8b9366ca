package org.jvirtd.net.nat;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.mode.BridgePlan;

/**
 * What a NAT network needs: its own bridge with the network's addresses, dnsmasq, and masquerading rules; something to masquerade is required.
 */
final class NatPlan {
    private NatPlan() {
    }

    static BridgePlan of(NetworkDef def) {
        if (def.forwardMode() != ForwardMode.NAT) {
            throw new IllegalArgumentException("not a nat network: " + def.name());
        }
        boolean natIpv6 = def.forward().nat() != null && Boolean.TRUE.equals(def.forward().nat().ipv6());
        if (def.ips().stream().allMatch(ip -> ip.isIpv6()) && !natIpv6) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK, "network '" + def.name()
                + "' has forward mode nat but no IPv4 address to masquerade");
        }
        return BridgePlan.virtual(def, true);
    }
}
