package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Brings files to the states a {@link JournaledDirectory} journaled: each file atomically (temp file,
 * fsync, rename), each touched directory synced once per batch, and the parent of every directory it
 * had to create. One file that cannot be written does not hold up the others.
 */
final class ChangeWriter {
    static final String TEMP_SUFFIX = ".jtmp";
    // one writer at a time per journal, so one short temp name per directory does (a long file name plus a
    // suffix could pass the file system's 255-byte limit)
    private static final String TEMP_NAME = ".jvirtd-write" + TEMP_SUFFIX;

    /** The latest journaled state of one path: content, a link target, or deleted. */
    record Change(byte op, byte[] data) {
    }

    private ChangeWriter() {
    }

    /** Writes every change it can; returns those it could not, with the reason. */
    static Map<Path, IOException> write(Map<Path, Change> changes) {
        Map<Path, IOException> failed = new LinkedHashMap<>();
        Set<Path> dirs = new LinkedHashSet<>();
        for (Map.Entry<Path, Change> entry : changes.entrySet()) {
            Path target = entry.getKey();
            Change change = entry.getValue();
            try {
                switch (change.op()) {
                    case JournalRecord.PUT -> replaceFile(target, change.data(), dirs);
                    case JournalRecord.LINK -> replaceLink(target,
                        Path.of(new String(change.data(), StandardCharsets.UTF_8)), dirs);
                    case JournalRecord.DELETE -> deleteFile(target);
                    default -> throw new IOException("unknown journal operation " + change.op());
                }
                dirs.add(target.getParent());
            } catch (IOException | RuntimeException e) {
                failed.put(target, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            }
        }
        for (Path dir : dirs) {
            try {
                AtomicFiles.syncDirectory(dir);
            } catch (NoSuchFileException gone) {
                // nothing of ours is left in it
            } catch (IOException e) {
                changes.keySet().stream().filter(p -> p.getParent().equals(dir)).forEach(p -> failed.put(p, e));
            }
        }
        return failed;
    }

    /** Removes the temp files a killed writer left behind, in the directory and below. */
    static void removeTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    removeTempFiles(entry);
                }
            }
        }
    }

    private static void replaceFile(Path target, byte[] content, Set<Path> dirs) throws IOException {
        createDirectory(target.getParent(), dirs);
        AtomicFiles.replaceFile(target.resolveSibling(TEMP_NAME), target, content);
    }

    private static void deleteFile(Path target) throws IOException {
        // java.io.File reports a missing file as false; Files.deleteIfExists builds an exception for it
        java.io.File file = target.toFile();
        if (!file.delete() && file.exists()) {
            throw new IOException("cannot delete " + target);
        }
    }

    private static void replaceLink(Path link, Path target, Set<Path> dirs) throws IOException {
        createDirectory(link.getParent(), dirs);
        AtomicFiles.replaceLink(link.resolveSibling(TEMP_NAME), link, target);
    }

    /** A directory this batch creates is only durable once its parent is synced too. */
    private static void createDirectory(Path dir, Set<Path> dirs) throws IOException {
        if (AtomicFiles.ensureDirectory(dir)) {
            dirs.add(dir.getParent());
        }
    }
}
