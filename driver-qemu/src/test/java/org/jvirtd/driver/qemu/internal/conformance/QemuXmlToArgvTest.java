package org.jvirtd.driver.qemu.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.junit.jupiter.api.Test;

class QemuXmlToArgvTest {
    @Test
    void atLeastSeventyPercentOfLibvirtsArgvCasesPass() throws Exception {
        Path dir = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance", "qemuxml2argv");
        ConformanceRunner runner = new ConformanceRunner(new QemuSuites().suites());
        ConformanceRunner.Result result = runner.run("qemuxml2argv", dir, System.out::println);
        System.out.println("qemuxml2argv: " + result);
        assertTrue(result.total() > 0, "no cases found in " + dir);
        assertTrue(result.passed() * 100 >= result.total() * 70, "pass rate below 70%: " + result);
    }
}
