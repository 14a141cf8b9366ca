package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;

/** Title, description and namespaced elements set, read back and formatted as libvirt 9.0 does. */
class DomainMetadataTest {
    private static final DomainDef DEF = DomainXml.parse("<domain type='test'><name>a</name>"
        + "<memory>1024</memory><metadata><o:old xmlns:o='urn:old'/></metadata></domain>");

    @Test
    void elementIsStoredInItsNamespaceAndReadBackWithout() {
        DomainDef set = DomainMetadata.set(DEF, DomainMetadata.ELEMENT, "<foo a='1'><bar>t</bar></foo>", "ex",
            "http://ex.org/");
        assertEquals("<foo a=\"1\">\n  <bar>t</bar>\n</foo>", DomainMetadata.get(set, DomainMetadata.ELEMENT,
            "http://ex.org/"));
        String xml = DomainXml.format(set, -1, 0);
        assertTrue(xml.contains("  <metadata>\n    <o:old xmlns:o=\"urn:old\"/>\n"
            + "    <ex:foo xmlns:ex=\"http://ex.org/\" a=\"1\">\n      <ex:bar>t</ex:bar>\n    </ex:foo>\n"
            + "  </metadata>\n"), xml);
        DomainDef replaced = DomainMetadata.set(set, DomainMetadata.ELEMENT, "<baz/>", "y", "http://ex.org/");
        assertEquals("<baz/>", DomainMetadata.get(replaced, DomainMetadata.ELEMENT, "http://ex.org/"));
        DomainDef removed = DomainMetadata.set(replaced, DomainMetadata.ELEMENT, null, null, "http://ex.org/");
        assertNull(DomainMetadata.get(removed, DomainMetadata.ELEMENT, "http://ex.org/"));
        assertEquals("<old/>", DomainMetadata.get(removed, DomainMetadata.ELEMENT, "urn:old"));
    }

    @Test
    void titleAndDescriptionGoAfterTheUuidAndAnEmptyValueRemovesThem() {
        DomainDef set = DomainMetadata.set(DomainMetadata.set(DEF, DomainMetadata.DESCRIPTION, "d<&", null, null),
            DomainMetadata.TITLE, "T", null, null);
        String xml = DomainXml.format(set, -1, 0);
        assertTrue(xml.contains("</uuid>\n  <title>T</title>\n  <description>d&lt;&amp;</description>\n  <metadata>"),
            xml);
        assertEquals("d<&", DomainMetadata.get(set, DomainMetadata.DESCRIPTION, null));
        assertNull(DomainMetadata.get(DomainMetadata.set(set, DomainMetadata.TITLE, "", null, null),
            DomainMetadata.TITLE, null));
    }

    @Test
    void aPrefixThatIsNoXmlNameIsRefusedAsLibvirtDoes() {
        VirtException e = assertThrows(VirtException.class,
            () -> DomainMetadata.set(DEF, DomainMetadata.ELEMENT, "<x/>", "bad key", "urn:x"));
        assertEquals("internal error: failed to validate prefix for a new XML namespace", e.getMessage());
    }
}
