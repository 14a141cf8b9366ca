package org.jvirtd.rpc.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The protocol facts in ../shared, whose location the build passes as a system property. */
public final class SharedFacts {
    private SharedFacts() {
    }

    public static Path protocolDir() {
        String shared = System.getProperty("jvirtd.shared.dir");
        assertTrue(shared != null, "system property jvirtd.shared.dir is not set (the pom passes it)");
        Path dir = Path.of(shared, "protocol");
        assertTrue(Files.isDirectory(dir), "protocol facts not found at " + dir);
        return dir;
    }
}
