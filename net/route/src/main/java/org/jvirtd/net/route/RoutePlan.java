package org.jvirtd.net.route;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.mode.BridgePlan;

/**
 * What a routed network needs: its own bridge with the network's addresses, dnsmasq, and forwarding rules without NAT; an address to route is required.
 */
final class RoutePlan {
    private RoutePlan() {
    }

    static BridgePlan of(NetworkDef def) {
        if (def.forwardMode() != ForwardMode.ROUTE) {
            throw new IllegalArgumentException("not a routed network: " + def.name());
        }
        if (def.ips().isEmpty()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK, "network '" + def.name()
                + "' has forward mode route but no address to route");
        }
        return BridgePlan.virtual(def, true);
    }
}
