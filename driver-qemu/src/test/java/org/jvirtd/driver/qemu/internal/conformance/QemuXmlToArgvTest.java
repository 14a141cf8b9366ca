package org.jvirtd.driver.qemu.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvirtd.model.conformance.ConformanceRunner;
import org.junit.jupiter.api.Test;

/**
 * Holds the qemuxml2argv suite at its floor, the pass count it last reached: every command line libvirt's, every
 * refused case refused in libvirt's phase with libvirt's message.
 */
class QemuXmlToArgvTest {
    private static final int FLOOR = 46;

    @Test
    void libvirtsArgvCasesPassAtLeastToTheFloor() throws Exception {
        Path dir = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance", "qemuxml2argv");
        ConformanceRunner runner = new ConformanceRunner(new QemuSuites().suites());
        ConformanceRunner.Result result = runner.run("qemuxml2argv", dir, System.out::println);
        System.out.println("qemuxml2argv: " + result);
        assertTrue(result.reaches(FLOOR), () -> result.belowFloor("qemuxml2argv", FLOOR));
    }
}
