package org.jvirtd.net.dnsmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.model.conformance.Suites;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;

/**
 * Runs libvirt's networkxml2conf cases through the conformance runner, which finds this bundle's suite.
 */
class NetworkXmlToConfTest {
    private static final Path DIR = Path.of(System.getProperty("jvirtd.shared", "../../../shared"),
        "conformance", "networkxml2conf");

    @Test
    void everySharedCaseMatchesLibvirtsConfigAndHostsFile() throws Exception {
        Prerequisite.requireShared(DIR.resolve("cases.json"));
        List<String> failures = new ArrayList<>();
        ConformanceRunner.Result result = Suites.runner().run("networkxml2conf", DIR,
            line -> { if (line.startsWith("FAIL")) failures.add(line); });
        System.out.println("networkxml2conf: " + result);
        assertEquals(List.of(), failures);
        assertTrue(result.total() >= 18, "cases found: " + result.total());
    }
}
