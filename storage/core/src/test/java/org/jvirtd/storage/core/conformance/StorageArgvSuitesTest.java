package org.jvirtd.storage.core.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.model.conformance.Suites;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs libvirt's storagevolxml2argv and storagepoolxml2argv data through the runner (which finds these suites
 * by ServiceLoader) and holds every case to passing.
 */
class StorageArgvSuitesTest {
    @ParameterizedTest
    @CsvSource({"storagevolxml2argv", "storagepoolxml2argv"})
    void everySharedCaseProducesLibvirtsCommandLine(String suite) throws Exception {
        Path dir = Path.of(System.getProperty("jvirtd.shared", "../../../shared"), "conformance", suite);
        Prerequisite.requireShared(dir.resolve("cases.json"));
        List<String> failures = new ArrayList<>();
        ConformanceRunner.Result result = Suites.runner().run(suite, dir, line -> {
            if (line.startsWith("FAIL")) {
                failures.add(line);
            }
        });
        System.out.println(suite + ": " + result);
        assertTrue(result.total() > 0 && result.failed() == 0, suite + ": " + result + " " + failures);
    }
}
