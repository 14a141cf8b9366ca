package org.jvirtd.net.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgePlan;
import org.junit.jupiter.api.Test;

/**
 * The route mode's plan: what it asks of the host for a network definition.
 */
class RoutePlanTest {
    @Test
    void routedNetworkPlansItsBridgeDnsmasqAndRules() {
        BridgePlan plan = RoutePlan.of(NetworkXml.parse("<network><name>r</name><forward mode='route'/>"
            + "<bridge name='vbr9'/><ip address='10.9.0.1' netmask='255.255.0.0'/></network>"));
        assertEquals("10.9.0.1/16", plan.addresses().get(0).addressWithPrefix());
        assertTrue(plan.createBridge() && plan.dhcpDns() && plan.firewall());
    }

    @Test
    void routedNetworkWithoutAddressIsRefused() {
        VirtException e = assertThrows(VirtException.class, () -> RoutePlan.of(NetworkXml.parse(
            "<network><name>r</name><forward mode='route'/><bridge name='vbr9'/></network>")));
        assertFalse(e.getMessage().isEmpty());
    }
}
