package org.jvirtd.net.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.mode.BridgePlan;
import org.junit.jupiter.api.Test;

/**
 * The bridge mode's plan: what it asks of the host for a network definition.
 */
class HostBridgePlanTest {
    @Test
    void bridgeNetworkOnlyJoinsTheExistingBridge() {
        BridgePlan plan = HostBridgePlan.of(NetworkXml.parse(
            "<network><name>b</name><forward mode='bridge'/><bridge name='br0'/></network>"));
        assertEquals("br0", plan.bridge());
        assertFalse(plan.createBridge() || plan.dhcpDns() || plan.firewall());
        assertTrue(plan.addresses().isEmpty());
    }

    @Test
    void bridgeNetworkWithoutBridgeIsRefusedAsMacvtap() {
        VirtException e = assertThrows(VirtException.class, () -> HostBridgePlan.of(NetworkXml.parse(
            "<network><name>b</name><forward mode='bridge'><interface dev='eth0'/></forward></network>")));
        assertTrue(e.getMessage().contains("macvtap"));
    }
}
