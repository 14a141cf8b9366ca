package org.jvirtd.model.conformance;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.domain.qemu.QemuDomainDefaults;

/**
 * Handlers of the domain round-trip suites (generic, LXC and QEMU xml2xml).
 */
final class DomainSuites {
    private DomainSuites() {
    }

    /** genericxml2xml: live parse and SECURE format; negative cases fail live or inactive parsing. */
    static String genericXmlToXml(ConformanceCase c) throws Exception {
        return liveRoundTrip(c, c.expectsParseError() && !c.flag("live") ? DomainXml.INACTIVE : 0);
    }

    /** lxcxml2xml: live parse and format, compare (rule U). */
    static String lxcXmlToXml(ConformanceCase c) throws Exception {
        return liveRoundTrip(c, 0);
    }

    private static String liveRoundTrip(ConformanceCase c, int parseFlags) throws Exception {
        DomainDef def;
        try {
            def = DomainXml.parse(c.read("input"), parseFlags | DomainXml.NEW_DEFINITION);
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        if (c.expectsParseError()) {
            return "expected a parse error, but the document was accepted";
        }
        return TextCompare.unwrapped(c.read("expected"), DomainXml.format(def, def.id(), DomainXml.SECURE));
    }

    /** qemuxml2xml: an inactive run (parse and format INACTIVE|SECURE) and an active run (SECURE only). */
    static String qemuXmlToXml(ConformanceCase c) throws Exception {
        String when = String.valueOf(c.field("when"));
        for (boolean inactive : new boolean[] {true, false}) {
            if (when.equals(inactive ? "active" : "inactive")) {
                continue;
            }
            String run = inactive ? "inactive" : "active";
            String diff = TextCompare.unwrapped(c.read("expected", run), qemuRoundTrip(c, inactive));
            if (diff != null) {
                return run + ": " + diff;
            }
        }
        return null;
    }

    /** One run of a qemuxml2xml case: parse, apply the QEMU post-parse defaults, format. */
    static String qemuRoundTrip(ConformanceCase c, boolean inactive) throws Exception {
        DomainDef parsed = DomainXml.parse(c.read("input"), (inactive ? DomainXml.INACTIVE : 0) | DomainXml.NEW_DEFINITION);
        DomainDef def = QemuDomainDefaults.apply(parsed, QemuCaseCaps.caps(c), QemuCaseCaps.config(c));
        return inactive ? DomainXml.format(def, -1, DomainXml.INACTIVE | DomainXml.SECURE)
            : DomainXml.format(def, def.id(), DomainXml.SECURE);
    }
}
