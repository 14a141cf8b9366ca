package org.jvirtd.net.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgePlan;
import org.junit.jupiter.api.Test;

/**
 * The open mode's plan: what it asks of the host for a network definition.
 */
class OpenPlanTest {
    @Test
    void openNetworkHasNoFirewallRules() {
        BridgePlan plan = OpenPlan.of(NetworkXml.parse("<network><name>o</name><forward mode='open'/>"
            + "<bridge name='vbr4'/><ip address='10.4.0.1' prefix='24'/></network>"));
        assertTrue(plan.createBridge() && plan.dhcpDns());
        assertFalse(plan.firewall());
        assertEquals(1, plan.addresses().size());
    }

    @Test
    void openNetworkWithoutBridgeNameIsRefused() {
        VirtException e = assertThrows(VirtException.class, () -> OpenPlan.of(NetworkXml.parse(
            "<network><name>o</name><forward mode='open'/></network>")));
        assertTrue(e.getMessage().contains("has no bridge name"));
    }
}
