package org.jvirtd.driver.lxc.internal.conformance;

import java.util.Map;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.lxc.internal.LxcDriver;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;
import org.jvirtd.model.conformance.TextCompare;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;

/**
 * Runs lxcxml2xml through the LXC driver's own define path: each input goes through {@link
 * LxcDriver#validateDefinition} (what core calls before it stores a definition), and what the driver
 * returns is parsed and formatted live, as libvirt's test does. Replaces the model-only handler of the same
 * suite when this jar is on the runner's class path.
 */
public final class LxcSuites implements SuiteProvider {
    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("lxcxml2xml", LxcSuites::lxcXmlToXml);
    }

    static String lxcXmlToXml(ConformanceCase c) throws Exception {
        String stored;
        try {
            stored = new LxcDriver().validateDefinition(c.read("input"));
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        DomainDef def = DomainXml.parse(stored, 0);
        if (c.expectsParseError()) {
            return "expected a parse error, but the document was accepted";
        }
        return TextCompare.unwrapped(c.read("expected"), DomainXml.format(def, def.id(), DomainXml.SECURE));
    }
}
