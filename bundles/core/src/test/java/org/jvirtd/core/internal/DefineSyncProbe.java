package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.driver.test.TestDriver;

/**
 * The program {@link DefineSyncTest} runs under strace: between two marker files it defines N domains through
 * core's define path (the one every driver's defineXML takes), then halts like a killed daemon, before any
 * checkpoint, so the trace holds the defines' own syncs only.
 * Usage: DefineSyncProbe STATE_ROOT MARKER_DIR N
 */
public final class DefineSyncProbe {
    private static final String VM = "<domain type='test'><name>vm%d</name><uuid>%s</uuid>"
        + "<memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>";

    private DefineSyncProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path markers = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        DaemonPaths paths = DaemonPaths.resolve(args[0], true, Map.of(), "/nonexistent");
        TestDriver driver = new TestDriver();
        DriverDomains domains = new DriverDomains("test", new DomainStore("test", paths), new EventHub(),
            () -> driver);
        domains.reattachAll(driver);
        domains.define(VM.formatted(-1, UUID.randomUUID()));  // opens the journal, outside the counted window
        Files.createFile(markers.resolve("begin"));
        for (int i = 0; i < n; i++) {
            domains.define(VM.formatted(i, UUID.randomUUID()));
        }
        Files.createFile(markers.resolve("end"));
        Runtime.getRuntime().halt(0);
    }
}
