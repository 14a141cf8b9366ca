package org.jvirtd.model.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the shared libvirt conformance suites through the runner and holds their pass rates at the targets.
 */
class ConformanceSuitesTest {
    private static final String DIR = System.getProperty("jvirtd.conformance.dir", "../../../shared/conformance");

    @ParameterizedTest
    @CsvSource({"networkxml2xml,100", "storagepoolxml2xml,100", "storagevolxml2xml,100", "genericxml2xml,90",
        "lxcxml2xml,80", "qemuxml2xml,80"})
    void suitePassRateMeetsItsTarget(String suite, int percent) throws Exception {
        Path dir = Path.of(DIR, suite);
        assumeTrue(Files.isRegularFile(dir.resolve("cases.json")), "conformance data not found at " + dir);
        ConformanceRunner.Result result = Suites.runner().run(suite, dir, line -> { });
        System.out.println(suite + ": " + result);
        assertTrue(result.passed() * 100 >= percent * result.total(), suite + ": " + result + ", target " + percent + "%");
    }
}
