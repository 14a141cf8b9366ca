package org.jvirtd.net.open;

import org.jvirtd.api.network.DhcpDns;
import org.jvirtd.api.network.ForwardMode;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgeNetwork;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Forward mode open: a bridge with dnsmasq and no firewall rules at all.
 */
@Component(property = ForwardMode.PROPERTY + "=open")
public final class OpenMode implements ForwardMode {
    private final BridgeNetwork network;

    @Activate
    public OpenMode(@Reference DhcpDns dhcpDns) {
        this.network = new BridgeNetwork(dhcpDns, null);
    }

    @Override
    public String mode() {
        return "open";
    }

    @Override
    public void start(NetworkHandle handle) {
        network.start(handle, OpenPlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public void stop(NetworkHandle handle) {
        network.stop(handle, OpenPlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public boolean reattach(NetworkHandle handle) {
        return network.reattach(handle, OpenPlan.of(NetworkXml.parse(handle.xml())));
    }
}
