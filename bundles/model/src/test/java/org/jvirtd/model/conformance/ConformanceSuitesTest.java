package org.jvirtd.model.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvirtd.testing.Prerequisite;

/**
 * Runs the shared libvirt conformance suites through the runner and holds each at its floor: the number of cases
 * that passed when the floor was last raised, so a single case that stops passing fails the build. Raise a floor
 * when more cases pass.
 */
class ConformanceSuitesTest {
    private static final Path CONFORMANCE = Path.of(System.getProperty("jvirtd.shared", "../../../shared"), "conformance");

    @ParameterizedTest
    @CsvSource({"networkxml2xml,31", "storagepoolxml2xml,25", "storagevolxml2xml,13", "genericxml2xml,38",
        "lxcxml2xml,9", "qemuxml2xml,383"})
    void suitePassesAtLeastItsFloorOfCases(String suite, int floor) throws Exception {
        Path dir = CONFORMANCE.resolve(suite);
        Prerequisite.requireShared(dir.resolve("cases.json"));
        ConformanceRunner.Result result = Suites.runner().run(suite, dir, line -> { });
        System.out.println(suite + ": " + result);
        assertTrue(result.reaches(floor), () -> result.belowFloor(suite, floor));
    }
}
