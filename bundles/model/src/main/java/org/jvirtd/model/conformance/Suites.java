package org.jvirtd.model.conformance;

import java.util.Map;
import java.util.TreeMap;
import java.util.List;

/**
 * The table of conformance suites this runner knows: suite name to the handler that runs its cases.
 */
public final class Suites {
    private static final Map<String, SuiteHandler> TABLE = new TreeMap<>(Map.of(
        "networkxml2xml", NetworkSuites::networkXmlToXml,
        "storagepoolxml2xml", StorageSuites::poolXmlToXml,
        "storagevolxml2xml", StorageSuites::volumeXmlToXml));

    private Suites() {
    }

    public static ConformanceRunner runner() {
        return new ConformanceRunner(TABLE);
    }

    public static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }
}
