package org.jvirtd.net.nwfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/**
 * Filter XML against what libvirtd 9.0 answered (nwfilter-define then nwfilter-dumpxml on the peer): the
 * canonical form of every protocol element and attribute, its normalizations, and its messages for bad input.
 */
class FilterXmlTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = FilterXmlTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String roundTrip(String xml, String uuid) {
        return FilterXml.format(FilterXml.parse(xml).withUuid(UUID.fromString(uuid)));
    }

    @Test
    void everyProtocolElementIsWrittenInLibvirtsAttributeOrderWithDefaultPriorities() throws IOException {
        String canonical = resource("all.canon.xml");
        assertEquals(canonical, roundTrip(resource("all.input.xml"), "c962e133-2a83-4b64-92da-b90e86299fb5") + "\n");
        assertEquals(canonical, roundTrip(canonical, "c962e133-2a83-4b64-92da-b90e86299fb5") + "\n");
    }

    @Test
    void theStandardFiltersReadBackAsShipped() {
        for (String xml : FilterFiles.standardFilters()) {
            String formatted = roundTrip(xml, "25f8a020-59c9-4ff9-b2b0-51a72fb3eb99");
            assertEquals(xml, formatted.replace("  <uuid>25f8a020-59c9-4ff9-b2b0-51a72fb3eb99</uuid>\n", ""));
        }
        assertEquals(24, FilterFiles.standardFilters().size());
    }

    @Test
    void valuesAreNormalizedAsLibvirtReadsThem() {
        String uuid = "b8a48d41-0c10-4224-b246-22e03cb38e58";
        assertEquals("<filter name='q1' chain='root'>\n  <uuid>" + uuid + "</uuid>\n"
            + "  <rule action='drop' direction='in' priority='500'>\n    <tcp srcipaddr='1.2.0.3' dstportstart='0xabc'/>\n"
            + "  </rule>\n  <rule action='drop' direction='in' priority='500' statematch='false'>\n    <ip/>\n  </rule>\n"
            + "  <rule action='drop' direction='in' priority='500'/>\n  <filterref filter='clean-traffic'>\n"
            + "    <parameter name='CTRL_IP_LEARNING' value='dhcp'/>\n    <parameter name='IP' value='1.2.3.4'/>\n"
            + "    <parameter name='IP' value='1.2.3.5'/>\n  </filterref>\n</filter>\n",
            roundTrip("<filter name='q1'><rule action='drop' direction='in'><tcp dstportstart='abc' srcipaddr='1.2.3'"
                + " bogus='1'/><udp/></rule><rule action='drop' direction='in' priority='2000' statematch='0'><ip/>"
                + "</rule><rule action='drop' direction='in' priority='x'><foo/></rule><filterref filter='clean-traffic'>"
                + "<parameter name='IP' value='1.2.3.4'/><parameter name='IP' value='1.2.3.5'/>"
                + "<parameter name='CTRL_IP_LEARNING' value='dhcp'/><parameter name='A'/></filterref></filter>", uuid));
        assertEquals("<filter name='p1' chain='ipv4' priority='-700'>\n  <uuid>" + uuid + "</uuid>\n</filter>\n",
            roundTrip("<filter name='p1' chain='ipv4'/>", uuid));
        assertEquals("<filter name='p2' chain='arp-xyz' priority='-500'>\n  <uuid>" + uuid + "</uuid>\n</filter>\n",
            roundTrip("<filter name='p2' chain='arp-xyz'/>", uuid));
        assertEquals("<filter name='p4' chain='root'>\n  <uuid>" + uuid + "</uuid>\n</filter>\n",
            roundTrip("<filter name='p4' priority='0'/>", uuid));
    }

    private static void refused(String message, String xml) {
        VirtException e = assertThrows(VirtException.class, () -> FilterXml.parse(xml));
        assertEquals(message, e.getMessage());
    }

    @Test
    void badInputGetsLibvirtsMessages() {
        refused("invalid argument: Invalid chain name 'bogus'. Please use a chain name called 'root' or any of the"
            + " following prefixes: mac, vlan, stp, arp, rarp, ipv4, ipv6", "<filter name='p5' chain='bogus'/>");
        refused("internal error: filter has no name", "<filter chain='root'/>");
        refused("invalid argument: Priority '2000' is outside valid range of [-1000,1000]",
            "<filter name='p6' priority='2000'/>");
        refused("invalid argument: Could not parse chain priority 'x'", "<filter name='p6' priority='x'/>");
        refused("unsupported configuration: unknown rule action attribute value",
            "<filter name='p7'><rule action='foo' direction='in'/></filter>");
        refused("unsupported configuration: unknown rule direction attribute value",
            "<filter name='p7'><rule action='drop' direction='up'/></filter>");
        refused("internal error: rule node requires action attribute", "<filter name='p7'><rule direction='in'/></filter>");
        refused("internal error: rule node requires direction attribute", "<filter name='p7'><rule action='drop'/></filter>");
        refused("internal error: dstportstart has illegal value 70000",
            "<filter name='q'><rule action='drop' direction='in'><tcp dstportstart='70000'/></rule></filter>");
        refused("internal error: srcmacaddr has illegal value zz",
            "<filter name='q'><rule action='drop' direction='in'><mac srcmacaddr='zz'/></rule></filter>");
        refused("internal error: protocolid has illegal value 0x5ff",
            "<filter name='q'><rule action='drop' direction='in'><mac protocolid='0x5ff'/></rule></filter>");
        refused("internal error: protocolid has illegal value 1234",
            "<filter name='q'><rule action='drop' direction='in'><mac protocolid='1234'/></rule></filter>");
        refused("internal error: srcipmask has illegal value 33",
            "<filter name='q'><rule action='drop' direction='in'><ip srcipmask='33'/></rule></filter>");
        refused("internal error: protocol has illegal value foo",
            "<filter name='q'><rule action='drop' direction='in'><ip protocol='foo'/></rule></filter>");
        refused("internal error: opcode has illegal value Foo",
            "<filter name='q'><rule action='drop' direction='in'><arp opcode='Foo'/></rule></filter>");
        refused("internal error: state has illegal value FOO",
            "<filter name='q'><rule action='drop' direction='in'><tcp state='FOO'/></rule></filter>");
        refused("internal error: flags has illegal value FOO",
            "<filter name='q'><rule action='drop' direction='in'><tcp flags='FOO'/></rule></filter>");
        refused("internal error: dscp has illegal value 64",
            "<filter name='q'><rule action='drop' direction='in'><ip dscp='64'/></rule></filter>");
        refused("internal error: vlanid has illegal value 4096",
            "<filter name='q'><rule action='drop' direction='in'><vlan vlanid='4096'/></rule></filter>");
        refused("XML error: malformed uuid element", "<filter name='p11'><uuid>bad</uuid></filter>");
        refused("XML error: expecting root element of 'filter', not 'notfilter'", "<notfilter/>");
    }

    /** What libvirtd 9.0 answered for these chain names (compared on the peer, see README's issue 15 section). */
    @Test
    void chainNamesArePrefixesWithLibvirtsCharacterAndLengthRules() {
        String uuid = "b8a48d41-0c10-4224-b246-22e03cb38e58";
        for (String[] c : new String[][] {{"mac_foo", "-800"}, {"macfoo", "-800"}, {"mac.x", "-800"},
            {"mac:x", "-800"}, {"vlanA", "-750"}, {"arpx", "-500"}, {"rarpx", "-400"}, {"ipv4-abcdefg", "-700"},
            {"ipv6_", "-600"}}) {
            assertEquals("<filter name='c' chain='" + c[0] + "' priority='" + c[1] + "'>\n  <uuid>" + uuid
                + "</uuid>\n</filter>\n", roundTrip("<filter name='c' chain='" + c[0] + "'/>", uuid), c[0]);
        }
        assertEquals("<filter name='c' chain='stp1'>\n  <uuid>" + uuid + "</uuid>\n</filter>\n",
            roundTrip("<filter name='c' chain='stp1'/>", uuid), "libvirt 9.0 has no default priority for stp");
        assertEquals("<filter name='c' chain='root'>\n  <uuid>" + uuid + "</uuid>\n</filter>\n",
            roundTrip("<filter name='c' chain=''/>", uuid));
        refused("invalid argument: Name of chain is longer than 12 characters", "<filter name='c' chain='ipv4-abcdefgh'/>");
        refused("invalid argument: Chain name contains invalid characters", "<filter name='c' chain='mac$'/>");
        refused("invalid argument: Chain name contains invalid characters", "<filter name='c' chain='mac foo'/>");
        refused("An error occurred, but the cause is unknown", "<filter name='c' chain='root-x'/>");
        refused("invalid argument: Invalid chain name 'MAC'. Please use a chain name called 'root' or any of the"
            + " following prefixes: mac, vlan, stp, arp, rarp, ipv4, ipv6", "<filter name='c' chain='MAC'/>");
    }

    /** libvirtd 9.0 reads a protocol id decimal first, then hex, and writes a known one by its name. */
    @Test
    void protocolIdsAreWrittenByNameWhenLibvirtKnowsThem() {
        for (String[] c : new String[][] {{"0x806", "arp"}, {"2054", "arp"}, {"0X806", "arp"}, {"0x0800", "ipv4"},
            {"0x86DD", "ipv6"}, {"0x8035", "rarp"}, {"0x8100", "vlan"}, {"1536", "1536"}, {"65535", "65535"},
            {"0x600", "0x600"}, {"abc", "0xabc"}, {"0x88cc", "0x88cc"}}) {
            for (String element : new String[] {"mac protocolid", "vlan encap-protocol"}) {
                String xml = roundTrip("<filter name='p'><rule action='drop' direction='in'><" + element + "='" + c[0]
                    + "'/></rule></filter>", "b8a48d41-0c10-4224-b246-22e03cb38e58");
                assertEquals(true, xml.contains("<" + element + "='" + c[1] + "'/>"), c[0] + ": " + xml);
            }
        }
        refused("internal error: protocolid has illegal value 0806",
            "<filter name='q'><rule action='drop' direction='in'><mac protocolid='0806'/></rule></filter>");
        refused("internal error: protocolid has illegal value 65536",
            "<filter name='q'><rule action='drop' direction='in'><mac protocolid='65536'/></rule></filter>");
    }

    private static void bindingRefused(String message, String xml) {
        VirtException e = assertThrows(VirtException.class, () -> BindingXml.parse(xml));
        assertEquals(message, e.getMessage(), xml);
    }

    @Test
    void bindingsWithPartsMissingGetLibvirtsMessages() {
        String owner = "<owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>";
        String port = "<portdev name='vnetz'/>";
        String mac = "<mac address='52:54:00:7b:35:93'/>";
        String ref = "<filterref filter='allow-arp'/>";
        bindingRefused("internal error: filter binding has no owner name", "<filterbinding>" + port + mac + ref
            + "</filterbinding>");
        bindingRefused("internal error: filter binding has no owner UUID", "<filterbinding><owner><name>vm1</name>"
            + "</owner>" + port + mac + ref + "</filterbinding>");
        bindingRefused("internal error: Unable to parse UUID 'zz'", "<filterbinding><owner><name>vm1</name><uuid>zz"
            + "</uuid></owner>" + port + mac + ref + "</filterbinding>");
        bindingRefused("internal error: filter binding has no port dev name", "<filterbinding>" + owner + "<portdev/>"
            + mac + ref + "</filterbinding>");
        bindingRefused("internal error: filter binding has no MAC address", "<filterbinding>" + owner + port + ref
            + "</filterbinding>");
        bindingRefused("internal error: Unable to parse MAC '$MAC'", "<filterbinding>" + owner + port
            + "<mac address='$MAC'/>" + ref + "</filterbinding>");
        bindingRefused("internal error: filter binding has no filter reference", "<filterbinding>" + owner + port
            + mac + "<filterref/></filterbinding>");
        VirtException root = assertThrows(VirtException.class, () -> BindingXml.parse("<binding/>"));
        assertEquals(org.jvirtd.api.ErrorDomain.XML, root.domain(), "libvirt's generic root check");
    }
}
