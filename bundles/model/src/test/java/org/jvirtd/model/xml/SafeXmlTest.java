package org.jvirtd.model.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/** Documents that are not XML get libvirtd 9.0's messages (as it answered secret and nwfilter definitions). */
class SafeXmlTest {
    private static String refusal(String xml) {
        VirtException e = assertThrows(VirtException.class,
            () -> SafeXml.parse(xml, ErrorDomain.SECRET, "definition_of_secret"));
        assertEquals(ErrorCode.XML_DETAIL, e.code());
        return e.getMessage();
    }

    @Test
    void blankDocumentsWantAStartTagAtTheirEndWithLibvirtsContext() {
        assertEquals("(definition_of_secret):1: Document is empty\n(null)\n^", refusal(""));
        assertEquals("(definition_of_secret):1: Start tag expected, '<' not found\n \n-^", refusal(" "));
        assertEquals("(definition_of_secret):2: Start tag expected, '<' not found\n(null)\n^", refusal("\n"));
        assertEquals("(definition_of_secret):3: Start tag expected, '<' not found\n(null)\n^",
            refusal("\n\n"));
        assertEquals("(definition_of_secret):2: Start tag expected, '<' not found\n \n-^", refusal("  \n "));
    }

    @Test
    void theContextIsTheCursorsLineWithADashPerCharacterBeforeIt() {
        assertEquals("<secret\n-------^", SafeXml.context("<secret", 7));
        assertEquals("<secret/><x/>\n---------^", SafeXml.context("<secret/><x/>", 9));
        assertEquals("</secret2>\n----------^", SafeXml.context("<a>\n\n</secret2>", 15));
        assertEquals("(null)\n^", SafeXml.context("<a>\n", 4));
    }
}
