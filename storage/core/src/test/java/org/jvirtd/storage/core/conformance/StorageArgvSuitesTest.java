package org.jvirtd.storage.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.model.conformance.Suites;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs libvirt's storagevolxml2argv and storagepoolxml2argv data through the runner (which finds these suites
 * by ServiceLoader) and holds every case to passing and each suite to its floor, the pass count it last reached.
 */
class StorageArgvSuitesTest {
    @ParameterizedTest
    @CsvSource({"storagevolxml2argv,18", "storagepoolxml2argv,21"})
    void everySharedCaseProducesLibvirtsCommandLine(String suite, int floor) throws Exception {
        Path dir = Path.of(System.getProperty("jvirtd.shared", "../../../shared"), "conformance", suite);
        Prerequisite.requireShared(dir.resolve("cases.json"));
        ConformanceRunner.Result result = Suites.runner().run(suite, dir, line -> { });
        System.out.println(suite + ": " + result);
        assertEquals(List.of(), result.failures());
        assertTrue(result.reaches(floor), () -> result.belowFloor(suite, floor));
    }
}
