package org.jvirtd.driver.xen.internal.toolstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running xl: output, xl's words on failure, the time limit, and a child left holding xl's output open. */
class XlCommandTest {
    @TempDir
    Path dir;

    private XlCommand script(String body) throws Exception {
        Path program = dir.resolve("xl");
        Files.writeString(program, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new XlCommand(program.toString(), Map.of("GREETING", "hello"));
    }

    @Test
    void returnsStandardOutputWithTheEnvironmentGiven() throws Exception {
        assertEquals("hello list\n", script("echo \"$GREETING $*\"").run(XlCommand.QUICK, "list"));
    }

    @Test
    void aFailureQuotesXlsLastLineOfStandardError() throws Exception {
        XlCommand xl = script("echo 'Parsing config' >&2; echo 'nosuch is an invalid domain identifier (rc=-6)' >&2;"
            + " exit 1");
        VirtException e = assertThrows(VirtException.class, () -> xl.run(XlCommand.QUICK, "destroy", "nosuch"));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
        assertEquals("internal error: '" + dir.resolve("xl") + " destroy nosuch' failed (exit status 1): nosuch is an"
            + " invalid domain identifier (rc=-6)", e.getMessage());
    }

    @Test
    void aCallOverItsTimeLimitIsEnded() throws Exception {
        XlCommand xl = script("exec sleep 30");
        VirtException e = assertThrows(VirtException.class, () -> xl.run(Duration.ofMillis(300), "save", "g", "f"));
        assertEquals(ErrorCode.OPERATION_TIMEOUT, e.code());
    }

    @Test
    void aChildStillHoldingTheOutputDoesNotHoldTheCall() throws Exception {
        // like the monitor xl create leaves behind, were it to keep xl's standard output
        XlCommand xl = script("echo created; (sleep 8 &)");
        assertTimeoutPreemptively(Duration.ofSeconds(6), () -> assertEquals("created\n",
            xl.run(XlCommand.QUICK, "create", "g.cfg")));
    }
}
