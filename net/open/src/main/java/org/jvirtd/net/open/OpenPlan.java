package org.jvirtd.net.open;

import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.mode.BridgePlan;

/**
 * What an open network needs: its own bridge with dnsmasq and no firewall rules; the host's own rules decide.
 */
final class OpenPlan {
    private OpenPlan() {
    }

    static BridgePlan of(NetworkDef def) {
        if (def.forwardMode() != ForwardMode.OPEN) {
            throw new IllegalArgumentException("not an open network: " + def.name());
        }
        return BridgePlan.virtual(def, false);
    }
}
