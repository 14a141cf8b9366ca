package org.jvirtd.net.isolated;

import org.jvirtd.api.network.DhcpDns;
import org.jvirtd.api.network.Firewall;
import org.jvirtd.api.network.ForwardMode;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgeNetwork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Isolated networks (no forward element): a bridge with dnsmasq, guests reach each other and the host only.
 */
@Component(property = ForwardMode.PROPERTY + "=none")
public final class IsolatedMode implements ForwardMode {
    private final BridgeNetwork network;

    @Activate
    public IsolatedMode(@Reference DhcpDns dhcpDns,
                   @Reference(target = "(" + Firewall.PROPERTY + "=nftables)") Firewall firewall) {
        this.network = new BridgeNetwork(dhcpDns, firewall);
    }

    @Override
    public String mode() {
        return "none";
    }

    @Override
    public void start(NetworkHandle handle) {
        network.start(handle, IsolatedPlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public void stop(NetworkHandle handle) {
        network.stop(handle, IsolatedPlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public boolean reattach(NetworkHandle handle) {
        return network.reattach(handle, IsolatedPlan.of(NetworkXml.parse(handle.xml())));
    }
}
