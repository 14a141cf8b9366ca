package org.jvirtd.net.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgePlan;
import org.junit.jupiter.api.Test;

/**
 * The nat mode's plan: what it asks of the host for a network definition.
 */
class NatPlanTest {
    @Test
    void natNetworkPlansItsBridgeAddressesDnsmasqAndRules() {
        BridgePlan plan = NatPlan.of(NetworkXml.parse("<network><name>n</name><forward mode='nat'/>"
            + "<bridge name='vbr7' stp='off'/><ip address='10.7.0.1' prefix='24'/></network>"));
        assertEquals("vbr7", plan.bridge());
        assertEquals("10.7.0.1/24", plan.addresses().get(0).addressWithPrefix());
        assertTrue(plan.createBridge() && plan.dhcpDns() && plan.firewall());
        assertFalse(plan.stp());
    }

    @Test
    void natNetworkWithoutIpv4AddressIsRefused() {
        VirtException e = assertThrows(VirtException.class, () -> NatPlan.of(NetworkXml.parse(
            "<network><name>n6</name><forward mode='nat'/><bridge name='vbr8'/>"
            + "<ip family='ipv6' address='fd00::1' prefix='64'/></network>")));
        assertEquals("unsupported configuration: network 'n6' has forward mode nat but no IPv4 address to masquerade",
            e.getMessage());
    }
}
