package org.jvirtd.driver.xen.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.jvirtd.model.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Holds libxlxml2domconfig at its floor (the 7 cases for current libxl; the 2 legacy-libxl alternatives do not
 * apply), and checks that the JSON comparison (rule J) tells a real difference from a default left out.
 */
class LibxlDomainConfigSuiteTest {
    private static final int FLOOR = 7;

    @Test
    void libvirtsDomconfigCasesPassAtLeastToTheFloor() throws Exception {
        Path dir = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance", "libxlxml2domconfig");
        ConformanceRunner runner = new ConformanceRunner(new XenSuites().suites());
        ConformanceRunner.Result result = runner.run("libxlxml2domconfig", dir, System.out::println);
        System.out.println("libxlxml2domconfig: " + result);
        assertTrue(result.reaches(FLOOR), () -> result.belowFloor("libxlxml2domconfig", FLOOR));
    }

    @Test
    void defaultsLeftOutAreEqualAndKeyOrderDoesNotMatter() {
        assertNull(LibxlJsonComparison.difference(
            Json.read("{\"b\":{\"x\":1,\"sdl\":{\"enable\":\"False\"}},\"vfbs\":[{\"devid\":-1}],\"a\":\"\"}"),
            Json.read("{\"vfbs\":[{}],\"b\":{\"x\":1.0,\"spice\":{}}}")));
    }

    @Test
    void aValueOtherThanTheDefaultIsADifference() {
        assertEquals("/b_info/nested_hvm: expected True, missing", LibxlJsonComparison.difference(
            Json.read("{\"b_info\":{\"nested_hvm\":\"True\"}}"), Json.read("{\"b_info\":{}}")));
        assertEquals("/nics[0]/devid: missing in the expected document, got 1", LibxlJsonComparison.difference(
            Json.read("{\"nics\":[{}]}"), Json.read("{\"nics\":[{\"devid\":1}]}")));
        assertEquals("/cpuid[0]/edx: expected xxx1, got xxx0", LibxlJsonComparison.difference(
            Json.read("{\"cpuid\":[{\"edx\":\"xxx1\"}]}"), Json.read("{\"cpuid\":[{\"edx\":\"xxx0\"}]}")));
    }
}
