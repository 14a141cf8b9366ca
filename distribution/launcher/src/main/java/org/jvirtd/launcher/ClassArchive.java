package org.jvirtd.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The instance's class-data sharing archive (see bin/jvirtd). A daemon started without one (and with
 * {@code -XX:+RecordDynamicDumpInfo}) writes it once it has run a while, from inside the running JVM
 * (the diagnostic command VM.cds, as {@code jcmd PID VM.cds dynamic_dump} does), to {@code NAME.tmp},
 * and renames that to {@code NAME} when it is complete; the archives of other JDKs or installations
 * (their names differ) go. Only the daemon holding the instance's bundle cache lock writes it.
 */
final class ClassArchive {
    /** Long enough for the first clients' calls to have loaded their classes too. */
    static final long DUMP_DELAY_MILLIS = 20_000;

    private ClassArchive() {
    }

    /** Writes the archive {@code DUMP_DELAY_MILLIS} from now, on a daemon thread. */
    static void writeLater(Path archive) {
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(DUMP_DELAY_MILLIS);
                Path written = archive.resolveSibling(archive.getFileName() + ".tmp");
                ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", written.toString()}},
                    new String[] {String[].class.getName()});
                install(written, archive);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (JMException | IOException | RuntimeException e) {
                System.err.println("jvirtd: cannot write the class-data archive " + archive + ": " + e.getMessage());
            }
        }, "jvirtd-class-archive");
        writer.setDaemon(true);
        writer.start();
    }

    /** Puts a completely written archive in place and removes the other archives beside it. */
    static void install(Path written, Path archive) throws IOException {
        if (!Files.isRegularFile(written) || Files.size(written) == 0) {
            Files.deleteIfExists(written);
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
