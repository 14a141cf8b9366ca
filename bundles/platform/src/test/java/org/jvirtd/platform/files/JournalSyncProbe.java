package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program {@link JournaledDirectorySyncTest} runs under strace: between two marker files it makes N journaled
 * writes, then stops like a killed daemon (no checkpoint), so the trace holds the writes' own syncs only.
 * Usage: JournalSyncProbe ROOT MARKER_DIR N
 */
public final class JournalSyncProbe {
    private JournalSyncProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path markers = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        JournaledDirectory files = JournaledDirectory.open(root);
        Files.createFile(markers.resolve("begin"));
        for (int i = 0; i < n; i++) {
            files.write(root.resolve("vm" + i + ".xml"), "<domain><name>vm" + i + "</name></domain>");
        }
        Files.createFile(markers.resolve("end"));
        files.abandon();
        Runtime.getRuntime().halt(0);
    }
}
