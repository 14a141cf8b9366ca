package org.jvirtd.net.mode;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.network.DhcpDns;
import org.jvirtd.api.network.Firewall;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.net.host.IpSubnet;
import org.jvirtd.net.host.NetDevices;

/**
 * Carries out a {@link BridgePlan}: creates the bridge with its addresses, then the firewall rules, then
 * dnsmasq, undoing what was done when a step fails; stops in reverse; reattaches to what is still up.
 */
public final class BridgeNetwork {
    private final DhcpDns dhcpDns;
    private final Firewall firewall;

    public BridgeNetwork(DhcpDns dhcpDns, Firewall firewall) {
        this.dhcpDns = dhcpDns;
        this.firewall = firewall;
    }

    public void start(NetworkHandle network, BridgePlan plan) {
        NetDevices devices = new NetDevices(network.netns());
        if (!plan.createBridge()) {
            if (!devices.exists(plan.bridge())) {
                throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NETWORK,
                    "Cannot get interface MTU on '" + plan.bridge() + "': No such device");
            }
            return;
        }
        devices.createBridge(plan.bridge(), plan.mac(), plan.mtu(), plan.stp(), plan.delay());
        boolean rules = false;
        try {
            for (IpSubnet address : plan.addresses()) {
                devices.addAddress(plan.bridge(), address);
            }
            devices.up(plan.bridge());
            if (plan.firewall()) {
                rules = true;
                firewall.apply(network);
            }
            if (plan.dhcpDns()) {
                dhcpDns.start(network);
            }
        } catch (RuntimeException e) {
            if (plan.dhcpDns()) {
                dhcpDns.stop(network);
            }
            if (rules) {
                firewall.remove(network);
            }
            devices.delete(plan.bridge());
            throw e;
        }
    }

    public void stop(NetworkHandle network, BridgePlan plan) {
        if (!plan.createBridge()) {
            return;
        }
        if (plan.dhcpDns()) {
            dhcpDns.stop(network);
        }
        if (plan.firewall()) {
            firewall.remove(network);
        }
        new NetDevices(network.netns()).delete(plan.bridge());
    }

    /**
     * Takes over a network after a restart: false (after cleaning up) when its bridge is gone; otherwise
     * dnsmasq is found again by its pid file, or started when it died. Firewall rules live in the kernel
     * and need nothing.
     */
    public boolean reattach(NetworkHandle network, BridgePlan plan) {
        if (!new NetDevices(network.netns()).exists(plan.bridge())) {
            if (plan.createBridge()) {
                stop(network, plan);
            }
            return false;
        }
        if (plan.dhcpDns() && !dhcpDns.reattach(network)) {
            dhcpDns.start(network);
        }
        return true;
    }
}
