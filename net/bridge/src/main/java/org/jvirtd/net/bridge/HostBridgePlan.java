package org.jvirtd.net.bridge;

import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.mode.BridgePlan;

/**
 * What a bridge network needs: an existing host bridge, which it neither creates nor removes.
 */
final class HostBridgePlan {
    private HostBridgePlan() {
    }

    static BridgePlan of(NetworkDef def) {
        if (def.forwardMode() != ForwardMode.BRIDGE) {
            throw new IllegalArgumentException("not a bridge network: " + def.name());
        }
        return BridgePlan.existing(def);
    }
}
