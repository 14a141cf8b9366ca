package org.jvirtd.net.bridge;

import org.jvirtd.api.network.ForwardMode;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgeNetwork;
import org.osgi.service.component.annotations.Component;

/**
 * Forward mode bridge: guests join an existing host bridge; nothing is created, no dnsmasq, no rules.
 */
@Component(property = ForwardMode.PROPERTY + "=bridge")
public final class BridgeMode implements ForwardMode {
    private final BridgeNetwork network;

    public BridgeMode() {
        this.network = new BridgeNetwork(null, null);
    }

    @Override
    public String mode() {
        return "bridge";
    }

    @Override
    public void start(NetworkHandle handle) {
        network.start(handle, HostBridgePlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public void stop(NetworkHandle handle) {
        network.stop(handle, HostBridgePlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public boolean reattach(NetworkHandle handle) {
        return network.reattach(handle, HostBridgePlan.of(NetworkXml.parse(handle.xml())));
    }
}
