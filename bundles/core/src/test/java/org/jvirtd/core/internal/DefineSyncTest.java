package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability claim of a define, measured: strace shows each define making exactly one fdatasync of the
 * driver's journal on the caller's thread, and no fsync, before it returns. A define that stops syncing fails.
 */
class DefineSyncTest {
    private static final int DEFINES = 40;
    private static final Pattern LINE = Pattern.compile("^(\\d+)\\s+(\\w+)\\((.*)");

    @TempDir
    Path dir;

    @Test
    void everyDefineSyncsTheJournalOnceBeforeItReturns() throws Exception {
        requireStrace();
        Path root = Files.createDirectory(dir.resolve("root"));
        Path markers = Files.createDirectory(dir.resolve("markers"));
        Path trace = dir.resolve("trace");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder("strace", "-f", "-y", "-qq", "-e", "trace=openat,fsync,fdatasync",
            "-o", trace.toString(), java, "-cp", System.getProperty("java.class.path"),
            DefineSyncProbe.class.getName(), root.toString(), markers.toString(), Integer.toString(DEFINES))
            .redirectErrorStream(true).redirectOutput(dir.resolve("probe.out").toFile()).start();
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, probe.exitValue(), Files.readString(dir.resolve("probe.out")));

        String caller = null;
        int journalSyncs = 0;
        int fileSyncs = 0;
        boolean inside = false;
        String journal = root.resolve("etc/jvirtd/test/.journal") + ">";
        for (String line : Files.readAllLines(trace)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String tid = m.group(1);
            String call = m.group(2);
            String args = m.group(3);
            if ("openat".equals(call) && args.contains(markers.resolve("begin") + "\"")) {
                caller = tid;
                inside = true;
            } else if ("openat".equals(call) && args.contains(markers.resolve("end") + "\"")) {
                inside = false;
            } else if (inside && tid.equals(caller) && "fdatasync".equals(call) && args.contains(journal)) {
                journalSyncs++;
            } else if (inside && tid.equals(caller) && "fsync".equals(call)) {
                fileSyncs++;
            }
        }
        assertNotNull(caller, "the trace holds no begin marker:\n" + String.join("\n", Files.readAllLines(trace)));
        assertEquals(DEFINES, journalSyncs, "fdatasync calls of the journal by the defining thread");
        assertEquals(0, fileSyncs, "fsync calls by the defining thread (the files are written at checkpoints)");
    }

    private static void requireStrace() throws IOException, InterruptedException {
        boolean found;
        try {
            found = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            found = false;
        }
        if (!found && "true".equals(System.getenv("CI"))) {
            fail("strace is not installed (apt-get install strace)");
        }
        assumeTrue(found, "strace is not installed");
    }
}
