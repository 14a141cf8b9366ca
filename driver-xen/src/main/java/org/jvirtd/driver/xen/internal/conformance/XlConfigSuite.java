package org.jvirtd.driver.xen.internal.conformance;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.xen.internal.xl.XlConversion;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.TextCompare;

/**
 * The xlconfig suite: each case's directed runs, xml2cfg (domain XML to xl.cfg, rule U) and cfg2xml (xl.cfg to
 * domain XML, rule U, or exact equality where the XML names the firmware directory placeholder). A case passes
 * when every run it lists passes.
 */
final class XlConfigSuite {
    /** The placeholder the corpus puts where libxl's firmware directory goes. */
    static final String FIRMWARE_PLACEHOLDER = "/LIBXL_FIRMWARE_DIR";

    private XlConfigSuite() {
    }

    static String run(ConformanceCase c) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String direction : c.strings("directions")) {
            String diff = switch (direction) {
                case "xml2cfg" -> xmlToCfg(c);
                case "cfg2xml" -> cfgToXml(c);
                default -> "unknown direction " + direction;
            };
            if (diff != null) {
                failures.add(direction + ": " + diff);
            }
        }
        return failures.isEmpty() ? null : String.join("; ", failures);
    }

    /** One direction of a case, named as cases.json names it; null when it passes. */
    static String direction(ConformanceCase c, String direction) throws Exception {
        return direction.equals("xml2cfg") ? xmlToCfg(c) : cfgToXml(c);
    }

    private static String xml(ConformanceCase c) throws Exception {
        String xml = c.read("xml");
        return c.flag("replaceVars") ? xml.replace(FIRMWARE_PLACEHOLDER, XlConversion.FIRMWARE_DIR) : xml;
    }

    private static String xmlToCfg(ConformanceCase c) throws Exception {
        String cfg;
        try {
            cfg = XlConversion.toXlConfig(xml(c));
        } catch (VirtException e) {
            return c.refusedWhileGenerating(e);
        }
        return TextCompare.unwrapped(c.read("cfg"), cfg);
    }

    private static String cfgToXml(ConformanceCase c) throws Exception {
        String xml;
        try {
            xml = XlConversion.toDomainXml(c.read("cfg"));
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        String expected = xml(c);
        if (c.flag("replaceVars")) {
            return expected.equals(xml) ? null : "output differs from the expected XML (exact comparison): "
                + TextCompare.unwrapped(expected, xml);
        }
        return TextCompare.unwrapped(expected, xml);
    }
}
