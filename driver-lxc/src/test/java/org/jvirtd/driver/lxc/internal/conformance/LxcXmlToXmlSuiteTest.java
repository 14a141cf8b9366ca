package org.jvirtd.driver.lxc.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.Test;

/**
 * Holds lxcxml2xml, run through the LXC driver's define path, at its floor: the pass count it last reached.
 */
class LxcXmlToXmlSuiteTest {
    private static final int FLOOR = 9;
    private static final Path DIR = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance",
        "lxcxml2xml");

    @Test
    void libvirtsLxcCasesPassThroughTheDriversDefinePathAtLeastToTheFloor() throws Exception {
        Prerequisite.requireShared(DIR.resolve("cases.json"));
        ConformanceRunner runner = new ConformanceRunner(new LxcSuites().suites());
        ConformanceRunner.Result result = runner.run("lxcxml2xml", DIR, System.out::println);
        System.out.println("lxcxml2xml through the LXC driver: " + result);
        assertTrue(result.reaches(FLOOR), () -> result.belowFloor("lxcxml2xml", FLOOR));
    }
}
