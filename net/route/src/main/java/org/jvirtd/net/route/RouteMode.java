package org.jvirtd.net.route;

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
 * Forward mode route: a bridge of the network's own with dnsmasq, guests' traffic routed (not masqueraded) by the host.
 */
@Component(property = ForwardMode.PROPERTY + "=route")
public final class RouteMode implements ForwardMode {
    private final BridgeNetwork network;

    @Activate
    public RouteMode(@Reference DhcpDns dhcpDns,
                   @Reference(target = "(" + Firewall.PROPERTY + "=nftables)") Firewall firewall) {
        this.network = new BridgeNetwork(dhcpDns, firewall);
    }

    @Override
    public String mode() {
        return "route";
    }

    @Override
    public void start(NetworkHandle handle) {
        network.start(handle, RoutePlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public void stop(NetworkHandle handle) {
        network.stop(handle, RoutePlan.of(NetworkXml.parse(handle.xml())));
    }

    @Override
    public boolean reattach(NetworkHandle handle) {
        return network.reattach(handle, RoutePlan.of(NetworkXml.parse(handle.xml())));
    }
}
