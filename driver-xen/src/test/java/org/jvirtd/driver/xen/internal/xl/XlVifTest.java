package org.jvirtd.driver.xen.internal.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/**
 * Vif specs beyond the corpus: a vif without a MAC gets one in Xen's range (as libvirt gives one), an Open vSwitch
 * trunk comes back as a trunk, rates convert, and a malformed VLAN is a libvirt error, not a crash.
 */
class XlVifTest {
    private static final String PV = "name = \"pv\"\nuuid = \"c7a5fdb2-cdaf-9455-926a-d65c16db1809\"\nmemory = 256\n";

    @Test
    void aVifWithoutMacGetsOneInXensRange() {
        String xml = XlConversion.toDomainXml(PV + "vif = [ \"bridge=xenbr0\" ]\n");
        assertTrue(xml.matches("(?s).*<mac address='00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}'/>.*"), xml);
    }

    @Test
    void anOpenVSwitchTrunkGoesBothWays() {
        String xml = XlConversion.toDomainXml(PV + "vif = [ \"mac=00:16:3e:00:00:01,bridge=br0:10:20\" ]\n");
        assertTrue(xml.contains("<vlan trunk='yes'>\n        <tag id='10'/>\n        <tag id='20'/>\n      </vlan>\n"
            + "      <virtualport type='openvswitch'/>"), xml);
        assertTrue(XlConversion.toXlConfig(xml).contains(
            "vif = [ \"mac=00:16:3e:00:00:01,bridge=br0:10:20,script=vif-openvswitch\" ]\n"));
    }

    @Test
    void ratesAreKilobytesPerSecond() {
        assertEquals(10240, XlVif.kilobytesPerSecond("10MB/s"));
        assertEquals(1280, XlVif.kilobytesPerSecond("10Mb/s@20ms"));
        assertEquals(100, XlVif.kilobytesPerSecond("100KB/s"));
        VirtException e = assertThrows(VirtException.class, () -> XlVif.kilobytesPerSecond("fast"));
        assertEquals("internal error: Invalid rate 'fast' specified", e.getMessage());
    }

    @Test
    void aMalformedVlanIsALibvirtError() {
        VirtException e = assertThrows(VirtException.class,
            () -> XlConversion.toDomainXml(PV + "vif = [ \"bridge=br0.10:20\" ]\n"));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
    }
}
