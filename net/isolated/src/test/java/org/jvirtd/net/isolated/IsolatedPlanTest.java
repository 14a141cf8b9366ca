package org.jvirtd.net.isolated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgePlan;
import org.junit.jupiter.api.Test;

/**
 * The isolated mode's plan: what it asks of the host for a network definition.
 */
class IsolatedPlanTest {
    @Test
    void isolatedNetworkKeepsFirewallRulesThatRejectForwarding() {
        BridgePlan plan = IsolatedPlan.of(NetworkXml.parse("<network><name>i</name><bridge name='vbr3'/>"
            + "<ip address='10.3.0.1' prefix='24'/></network>"));
        assertTrue(plan.createBridge() && plan.dhcpDns() && plan.firewall());
        assertEquals(0, plan.delay());
    }

    @Test
    void networkWithForwardElementIsNotIsolated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IsolatedPlan.of(
            NetworkXml.parse("<network><name>i</name><forward mode='nat'/><bridge name='vbr3'/></network>")));
        assertFalse(e.getMessage().isEmpty());
    }
}
