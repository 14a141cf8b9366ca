package org.jvirtd.net.dnsmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    /** The pass count last reached: every shared case. */
    private static final int FLOOR = 18;

    @Test
    void everySharedCaseMatchesLibvirtsConfigAndHostsFile() throws Exception {
        Prerequisite.requireShared(DIR.resolve("cases.json"));
        ConformanceRunner.Result result = Suites.runner().run("networkxml2conf", DIR, line -> { });
        System.out.println("networkxml2conf: " + result);
        assertEquals(List.of(), result.failures());
        assertTrue(result.reaches(FLOOR), () -> result.belowFloor("networkxml2conf", FLOOR));
    }
}
