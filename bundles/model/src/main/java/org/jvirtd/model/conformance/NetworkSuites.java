package org.jvirtd.model.conformance;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;

/**
 * Handlers of the network suites.
 */
final class NetworkSuites {
    private NetworkSuites() {
    }

    /** networkxml2xml: parse in/, format with the case's flags, compare with out/ (rule U). */
    static String networkXmlToXml(ConformanceCase c) throws Exception {
        String input = c.read("input");
        NetworkDef def;
        try {
            def = NetworkXml.parse(input);
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        if (c.expectsParseError()) {
            return "expected a parse error, but the document was accepted";
        }
        int flags = c.strings("formatFlags").contains("INACTIVE") ? NetworkXml.INACTIVE : 0;
        return TextCompare.unwrapped(c.read("expected"), NetworkXml.format(def, flags));
    }
}
