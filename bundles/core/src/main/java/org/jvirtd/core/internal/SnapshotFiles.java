package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.snapshot.SnapshotDef;
import org.jvirtd.model.snapshot.SnapshotXml;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Snapshot metadata on disk, one file per snapshot as libvirt keeps it:
 * {@code STATEDIR/snapshot/DOMAIN/NAME.xml} in the stored form (the current one marked {@code <active>1</active>}),
 * each written atomically, so a crash leaves the old or the new file.
 */
final class SnapshotFiles {
    private static final System.Logger LOG = System.getLogger(SnapshotFiles.class.getName());

    private final Path root;

    SnapshotFiles(Path driverStateDir) {
        this.root = driverStateDir.resolve("snapshot");
    }

    Path dirOf(String domain) {
        return root.resolve(domain);
    }

    /** Reads a domain's snapshots; a file that does not parse is logged and left out, as libvirt skips it. */
    SnapshotTree load(String domain) {
        SnapshotTree tree = new SnapshotTree();
        Path dir = dirOf(domain);
        if (!Files.isDirectory(dir)) {
            return tree;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : files) {
                try {
                    SnapshotXml.Parsed parsed = SnapshotXml.parse(Files.readString(file));
                    tree.put(parsed.def());
                    if (parsed.current()) {
                        tree.setCurrent(parsed.def().name());
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping snapshot metadata " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read snapshot directory " + dir + ": " + e.getMessage());
        }
        return tree;
    }

    void write(String domain, SnapshotDef def, boolean current) {
        Path file = dirOf(domain).resolve(def.name() + ".xml");
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, SnapshotXml.formatStored(def, current));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "failed to write snapshot metadata '" + file + "'", e);
        }
    }

    void delete(String domain, String name) {
        Path file = dirOf(domain).resolve(name + ".xml");
        try {
            AtomicFiles.delete(file);
            Files.deleteIfExists(dirOf(domain));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // other snapshots remain
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "failed to remove snapshot metadata '" + file + "'", e);
        }
    }
}
