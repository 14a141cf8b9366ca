package org.jvirtd.model.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvirtd.testing.Prerequisite;

/**
 * Runs the shared libvirt conformance suites through the runner and holds their pass rates at the targets.
 */
class ConformanceSuitesTest {
    private static final Path CONFORMANCE = Path.of(System.getProperty("jvirtd.shared", "../../../shared"), "conformance");

    @ParameterizedTest
    @CsvSource({"networkxml2xml,100", "storagepoolxml2xml,100", "storagevolxml2xml,100", "genericxml2xml,90",
        "lxcxml2xml,80", "qemuxml2xml,80"})
    void suitePassRateMeetsItsTarget(String suite, int percent) throws Exception {
        Path dir = CONFORMANCE.resolve(suite);
        Prerequisite.requireShared(dir.resolve("cases.json"));
        ConformanceRunner.Result result = Suites.runner().run(suite, dir, line -> { });
        System.out.println(suite + ": " + result);
        assertTrue(result.passed() * 100 >= percent * result.total(), suite + ": " + result + ", target " + percent + "%");
    }
}
