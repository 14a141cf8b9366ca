package org.jvirtd.model.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;

/** Secret XML read and written as libvirtd 9.0 did for the same documents (outputs recorded from its secret-dumpxml). */
class SecretXmlTest {
    private static final String UUID = "11111111-2222-3333-4444-555555555555";

    @Test
    void escapedDescriptionAndIscsiUsageFormatAsLibvirtd() {
        SecretDef def = SecretXml.parse("<secret ephemeral='yes' private='yes'><uuid>" + UUID + "</uuid>"
            + "<description>a &lt;b&gt; &amp; 'c' \"d\"</description><usage type='iscsi'><target>libvirtiscsi</target>"
            + "</usage></secret>");
        assertEquals("<secret ephemeral='yes' private='yes'>\n  <uuid>" + UUID + "</uuid>\n"
            + "  <description>a &lt;b&gt; &amp; &apos;c&apos; &quot;d&quot;</description>\n"
            + "  <usage type='iscsi'>\n    <target>libvirtiscsi</target>\n  </usage>\n</secret>\n",
            SecretXml.format(def));
    }

    @Test
    void everyUsageTypeKeepsItsIdElement() {
        for (String[] c : new String[][] {{"volume", "volume", "/a.img"}, {"ceph", "name", "client.admin"},
            {"iscsi", "target", "iqn"}, {"tls", "name", "TLS_example"}, {"vtpm", "name", "VTPM_example"}}) {
            String xml = "<secret ephemeral='no' private='no'>\n  <uuid>" + UUID + "</uuid>\n  <usage type='" + c[0]
                + "'>\n    <" + c[1] + ">" + c[2] + "</" + c[1] + ">\n  </usage>\n</secret>\n";
            SecretDef def = SecretXml.parse(xml, true);
            assertEquals(SecretUsageType.fromXml(c[0]), def.usageType());
            assertEquals(xml, SecretXml.format(def));
        }
    }

    @Test
    void emptyValuesCountAsAbsentAndUsageNoneIsNotWritten() {
        SecretDef def = SecretXml.parse("<secret ephemeral=''><uuid>" + UUID + "</uuid><description></description>"
            + "<usage type='none'/></secret>");
        assertNull(def.description());
        assertEquals(SecretUsageType.NONE, def.usageType());
        assertEquals("<secret ephemeral='no' private='no'>\n  <uuid>" + UUID + "</uuid>\n</secret>\n",
            SecretXml.format(def));
        assertNotNull(SecretXml.parse("<secret><uuid></uuid></secret>").uuid(), "an empty uuid is generated");
    }

    @Test
    void refusalsCarryLibvirtdsCodesAndWords() {
        refused("<secrets/>", ErrorCode.XML_ERROR, "expecting root element of 'secret', not 'secrets'");
        refused("<secret ephemeral='maybe'/>", ErrorCode.XML_ERROR, "invalid value of 'ephemeral'");
        refused("<secret><usage type='foo'/></secret>", ErrorCode.CONFIG_UNSUPPORTED, "unknown secret usage type foo");
        refused("<secret><usage/></secret>", ErrorCode.XML_ERROR, "unknown secret usage type");
        refused("<secret><usage type='tls'><name/></usage></secret>", ErrorCode.INTERNAL_ERROR,
            "TLS usage specified, but name is missing");
        refused("<secret><uuid>zzz</uuid></secret>", ErrorCode.INTERNAL_ERROR, "malformed uuid element");
        refused("<secret", ErrorCode.XML_DETAIL, null);
    }

    @Test
    void validateRefusesWhatTheSchemaRefusesWithLibxml2sLines() {
        invalid("<secret><uuid>" + UUID + "</uuid><foo/></secret>", "Element secret has extra content: foo");
        invalid("<secret foo='1'/>", "Invalid attribute foo for element secret");
        invalid("<secret ephemeral='maybe'/>", "Invalid attribute ephemeral for element secret");
        invalid("<secret><uuid>zz</uuid></secret>", "Extra element uuid in interleave\nElement secret failed to validate content");
        invalid("<secret><uuid>" + UUID + "</uuid><uuid>" + UUID + "</uuid></secret>",
            "Extra element uuid in interleave\nElement secret failed to validate content");
        invalid("<secret><usage type='volume'><volume>rel/path</volume></usage></secret>",
            "Extra element usage in interleave\nElement secret failed to validate content");
        invalid("<secret><usage type='ceph'/></secret>",
            "Extra element usage in interleave\nElement secret failed to validate content");
        invalid("<secret><usage type='ceph'><name>a</name><x/></usage></secret>",
            "Extra element usage in interleave\nElement secret failed to validate content");
        assertEquals(UUID, SecretXml.parse("<secret><description>d</description><uuid>" + UUID + "</uuid></secret>",
            true).uuid().toString(), "children in any order");
    }

    private static void refused(String xml, ErrorCode code, String message) {
        VirtException e = assertThrows(VirtException.class, () -> SecretXml.parse(xml));
        assertEquals(code, e.code(), xml);
        if (message != null) {
            assertEquals(message, e.detail(), xml);
        }
    }

    private static void invalid(String xml, String lines) {
        VirtException e = assertThrows(VirtException.class, () -> SecretXml.parse(xml, true));
        assertEquals(ErrorCode.XML_INVALID_SCHEMA, e.code(), xml);
        assertEquals(ErrorDomain.SECRET, e.domain());
        assertEquals("Unable to validate doc against /usr/share/libvirt/schemas/secret.rng\n" + lines + "\n",
            e.detail(), xml);
    }
}
