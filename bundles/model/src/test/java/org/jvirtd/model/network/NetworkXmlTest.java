package org.jvirtd.model.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

class NetworkXmlTest {
    @Test
    void isolatedNetworkGainsBridgeDefaults() {
        NetworkDef def = NetworkXml.parse("<network><name>n</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>"
            + "<bridge name='virbr9'/></network>");
        assertEquals("<network>\n  <name>n</name>\n  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
            + "  <bridge name='virbr9' stp='on' delay='0'/>\n</network>\n", NetworkXml.format(def, 0));
    }

    @Test
    void forwardDevBecomesTheFirstInterface() {
        NetworkDef def = NetworkXml.parse("<network><name>n</name><forward mode='nat' dev='eth1'/></network>");
        assertEquals(java.util.List.of("eth1"), def.forward().interfaces());
    }

    @Test
    void nameWithSlashIsRejected() {
        VirtException e = assertThrows(VirtException.class,
            () -> NetworkXml.parse("<network><name>a/b</name></network>"));
        assertEquals(ErrorCode.XML_DETAIL, e.code());
    }

    @Test
    void dnsRecordsInADisabledDnsAreRejected() {
        VirtException e = assertThrows(VirtException.class, () -> NetworkXml.parse("<network><name>n</name>"
            + "<dns enable='no'><txt name='a' value='b'/></dns></network>"));
        assertEquals("XML error: Extra data in disabled network 'n'", e.getMessage());
    }

    @Test
    void dhcpRangeOutsideTheSubnetIsRejected() {
        assertThrows(VirtException.class, () -> NetworkXml.parse("<network><name>n</name>"
            + "<ip address='192.168.1.1' netmask='255.255.255.0'><dhcp><range start='10.0.0.1' end='10.0.0.9'/>"
            + "</dhcp></ip></network>"));
    }

    @Test
    void unknownForwardModeIsUnsupported() {
        VirtException e = assertThrows(VirtException.class,
            () -> NetworkXml.parse("<network><name>n</name><forward mode='teleport'/></network>"));
        assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code());
    }

    @Test
    void macAddressIsWrittenLowerCase() {
        NetworkDef def = NetworkXml.parse("<network><name>n</name><mac address='52:54:00:AB:CD:EF'/></network>");
        assertTrue(NetworkXml.format(def, 0).contains("<mac address='52:54:00:ab:cd:ef'/>"));
    }

    /** A fuzzer's find: a route prefix of "=4" ended in a NumberFormatException instead of an XML error. */
    @Test
    void aRouteWithABadPrefixOrMetricIsAnXmlError() {
        String route = "<network><name>n</name><ip address='192.168.1.1' prefix='24'/>"
            + "<route address='10.0.0.0' %s gateway='192.168.1.2'/></network>";
        VirtException prefix = assertThrows(VirtException.class, () -> NetworkXml.parse(route.formatted("prefix='=4'")));
        assertEquals(ErrorCode.XML_ERROR, prefix.code());
        assertEquals("XML error: n: Invalid prefix specified in route definition", prefix.getMessage());
        VirtException metric = assertThrows(VirtException.class, () -> NetworkXml.parse(route.formatted("metric='x'")));
        assertEquals("XML error: n: Invalid metric specified in route definition", metric.getMessage());
        assertEquals(8, NetworkXml.parse(route.formatted("prefix='8'")).routes().get(0).prefix());
    }
}
