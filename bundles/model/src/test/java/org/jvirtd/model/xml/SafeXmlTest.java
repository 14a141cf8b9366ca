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

    /** Each malformed document of libxml2-errors.tsv gets the message libvirtd 9.0 gave for it. */
    @Test
    void malformedDocumentsGetLibxml2sMessagesAsLibvirtdGaveThem() throws Exception {
        String table;
        try (java.io.InputStream in = SafeXmlTest.class.getResourceAsStream("libxml2-errors.tsv")) {
            table = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        int compared = 0;
        for (String row : table.split("\n")) {
            if (row.startsWith("#") || row.isEmpty()) {
                continue;
            }
            String[] cells = row.split("\t");
            String xml = unescape(cells[0]);
            VirtException e = assertThrows(VirtException.class,
                () -> SafeXml.parse(xml, ErrorDomain.NWFILTER, "nwfilter_definition"), xml);
            assertEquals(unescape(cells[1]), e.getMessage(), xml);
            compared++;
        }
        assertEquals(true, compared >= 30, "rows read: " + compared);
    }

    private static String unescape(String cell) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length()) {
                char next = cell.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
