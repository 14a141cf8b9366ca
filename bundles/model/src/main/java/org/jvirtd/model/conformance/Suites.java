package org.jvirtd.model.conformance;

import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The table of conformance suites this runner knows: suite name to the handler that runs its cases.
 */
public final class Suites {
    private static final Map<String, SuiteHandler> TABLE = new TreeMap<>(Map.of(
        "networkxml2xml", NetworkSuites::networkXmlToXml,
        "storagepoolxml2xml", StorageSuites::poolXmlToXml,
        "storagevolxml2xml", StorageSuites::volumeXmlToXml,
        "genericxml2xml", DomainSuites::genericXmlToXml,
        "lxcxml2xml", DomainSuites::lxcXmlToXml,
        "qemuxml2xml", DomainSuites::qemuXmlToXml));

    private Suites() {
    }

    public static ConformanceRunner runner() {
        return new ConformanceRunner(all());
    }

    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /** The model's own suites plus those other jars on the class path provide. */
    private static Map<String, SuiteHandler> all() {
        Map<String, SuiteHandler> all = new TreeMap<>(TABLE);
        for (SuiteProvider provider : ServiceLoader.load(SuiteProvider.class, Suites.class.getClassLoader())) {
            all.putAll(provider.suites());
        }
        return all;
    }
}
