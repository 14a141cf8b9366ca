package org.jvirtd.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The instance's class-data sharing archive (see bin/jvirtd): a start without one has the JVM write
 * {@code NAME.tmp} when the daemon stops. The next start puts it in place as {@code NAME} while it holds
 * the bundle cache's lock, so no other daemon of the instance is still writing it, and removes the
 * archives of other JDKs or installations (their names differ).
 */
final class ClassArchive {
    private ClassArchive() {
    }

    /** Renames the archive a stopped daemon wrote to {@code archive}, if there is one. */
    static void install(Path archive) throws IOException {
        Path written = archive.resolveSibling(archive.getFileName() + ".tmp");
        if (!Files.isRegularFile(written) || Files.size(written) == 0) {
            return;
        }
        Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(archive.getParent(), "classes-*.jsa*")) {
            for (Path other : old) {
                if (!other.equals(archive)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }
}
