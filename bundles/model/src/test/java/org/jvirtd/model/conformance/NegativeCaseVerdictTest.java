package org.jvirtd.model.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A negative case passes only when refused in its own phase and, where the corpus holds libvirt's .err text, with
 * exactly that message; a run below its floor says which suite, which floor and what count.
 */
class NegativeCaseVerdictTest {
    private static final String LIBVIRTS = "unsupported configuration: rx_queue_size has to be a power of two\n";
    private static final VirtException RX_QUEUE = new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
        "rx_queue_size has to be a power of two");

    @TempDir
    Path dir;

    @Test
    void aRefusalWithLibvirtsMessagePasses() throws Exception {
        ConformanceCase c = caseWithError("parse-error", LIBVIRTS);
        assertNull(c.refusedWhileParsing(RX_QUEUE));
    }

    @Test
    void aRefusalWithAnotherMessageFailsAndShowsBoth() throws Exception {
        ConformanceCase c = caseWithError("parse-error", "unsupported configuration: rx_queue_size is too big\n");
        String verdict = c.refusedWhileParsing(RX_QUEUE);
        assertNotNull(verdict);
        assertTrue(verdict.contains("expected [unsupported configuration: rx_queue_size is too big]"), verdict);
        assertTrue(verdict.endsWith("got [" + LIBVIRTS.strip() + "]"), verdict);
    }

    @Test
    void aRefusalInTheOtherPhaseFailsEvenWithLibvirtsMessage() throws Exception {
        assertNotNull(caseWithError("fail", LIBVIRTS).refusedWhileParsing(RX_QUEUE));
        assertNotNull(caseWithError("parse-error", LIBVIRTS).refusedWhileGenerating(RX_QUEUE));
        assertNull(caseWithError("fail", LIBVIRTS).refusedWhileGenerating(RX_QUEUE));
    }

    @Test
    void aPositiveCaseNeverPassesByBeingRefused() throws Exception {
        ConformanceCase c = new ConformanceCase("positive", "pass", Map.of("files", Map.of("input", "x.xml")), dir);
        assertEquals("parse failed: unsupported configuration: rx_queue_size has to be a power of two",
            c.refusedWhileParsing(RX_QUEUE));
    }

    @Test
    void withoutAnErrFileAnyRefusalInThePhasePasses() throws Exception {
        ConformanceCase c = new ConformanceCase("no-err", "parse-error", Map.of("files", Map.of("input", "x.xml")),
            dir);
        assertNull(c.refusedWhileParsing(RX_QUEUE));
    }

    @Test
    void aRunBelowItsFloorNamesTheSuiteTheFloorAndTheCount() {
        ConformanceRunner.Result result = new ConformanceRunner.Result(45, List.of("usb-none-usbtablet: parse failed"));
        assertFalse(result.reaches(46));
        assertTrue(result.reaches(45));
        assertEquals("qemuxml2argv: 45 of 46 cases pass, below the suite's floor of 46 passing cases; failed:\n"
            + "  usb-none-usbtablet: parse failed", result.belowFloor("qemuxml2argv", 46));
    }

    private ConformanceCase caseWithError(String expect, String err) throws Exception {
        Files.writeString(dir.resolve("case.err"), err);
        Map<String, Object> files = Map.of("input", "case.xml", "expectedError", "case.err");
        return new ConformanceCase("case", expect, Map.of("files", files), dir);
    }
}
