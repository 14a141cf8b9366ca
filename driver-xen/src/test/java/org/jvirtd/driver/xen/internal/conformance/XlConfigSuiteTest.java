package org.jvirtd.driver.xen.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.model.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Holds the xlconfig suite at its floor, the pass count it last reached, and each direction at its own: every
 * directed run's output libvirt's, byte for byte.
 */
class XlConfigSuiteTest {
    private static final int FLOOR = 32;
    private static final int XML2CFG_FLOOR = 27;
    private static final int CFG2XML_FLOOR = 30;
    private static final Path DIR = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance",
        "xlconfig");

    @Test
    void libvirtsXlConfigCasesPassAtLeastToTheFloor() throws Exception {
        ConformanceRunner runner = new ConformanceRunner(new XenSuites().suites());
        ConformanceRunner.Result result = runner.run("xlconfig", DIR, System.out::println);
        System.out.println("xlconfig: " + result);
        assertTrue(result.reaches(FLOOR), () -> result.belowFloor("xlconfig", FLOOR));
    }

    @Test
    void eachDirectionPassesAtLeastToItsFloor() throws Exception {
        assertDirection("xml2cfg", XML2CFG_FLOOR);
        assertDirection("cfg2xml", CFG2XML_FLOOR);
    }

    @SuppressWarnings("unchecked")
    private static void assertDirection(String direction, int floor) throws Exception {
        Map<String, Object> json = (Map<String, Object>) Json.read(Files.readString(DIR.resolve("cases.json"),
            StandardCharsets.UTF_8));
        int runs = 0;
        List<String> failures = new ArrayList<>();
        for (Object o : (List<Object>) json.get("cases")) {
            Map<String, Object> fields = (Map<String, Object>) o;
            ConformanceCase c = new ConformanceCase(String.valueOf(fields.get("name")), "pass", fields, DIR);
            if (!c.strings("directions").contains(direction)) {
                continue;
            }
            runs++;
            String diff = XlConfigSuite.direction(c, direction);
            if (diff != null) {
                failures.add(c.name() + ": " + diff);
            }
        }
        int passed = runs - failures.size();
        System.out.println("xlconfig " + direction + ": " + passed + " of " + runs + " runs pass");
        assertTrue(passed >= floor, () -> "xlconfig " + direction + ": " + passed + " runs pass, below the floor of "
            + floor + "; failed:\n  " + String.join("\n  ", failures));
        assertEquals(runs, passed + failures.size());
    }
}
