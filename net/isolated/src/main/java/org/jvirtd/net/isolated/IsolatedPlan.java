package org.jvirtd.net.isolated;

import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.mode.BridgePlan;

/**
 * What an isolated network needs: its own bridge with dnsmasq, and rules that reject all forwarding.
 */
final class IsolatedPlan {
    private IsolatedPlan() {
    }

    static BridgePlan of(NetworkDef def) {
        if (def.forwardMode() != ForwardMode.NONE) {
            throw new IllegalArgumentException("not an isolated network: " + def.name());
        }
        return BridgePlan.virtual(def, true);
    }
}
