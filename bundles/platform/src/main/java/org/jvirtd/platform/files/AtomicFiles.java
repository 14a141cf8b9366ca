package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash at any moment leaves either the old or the new content: temp file in
 * the same directory, fsync, rename, fsync of the directory.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        ensureDirectory(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            replaceFile(temp, target, content);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes a file and makes the deletion durable. */
    public static boolean delete(Path target) throws IOException {
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
        return deleted;
    }

    /** Creates or replaces a symbolic link atomically (temp link, rename). */
    public static void symlink(Path link, Path target) throws IOException {
        Path dir = link.toAbsolutePath().getParent();
        ensureDirectory(dir);
        replaceLink(dir.resolve("." + link.getFileName() + ".lnk" + ProcessHandle.current().pid()), link, target);
        syncDirectory(dir);
    }

    /** Writes {@code content} to {@code temp}, syncs it and renames it over {@code target}; the directory is not synced. */
    static void replaceFile(Path temp, Path target, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically", e);
        }
    }

    /** Makes {@code temp} a link to {@code target} and renames it over {@code link}; the directory is not synced. */
    static void replaceLink(Path temp, Path link, Path target) throws IOException {
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates the directory (and its parents) if missing; true when it had to. */
    static boolean ensureDirectory(Path dir) throws IOException {
        // Files.createDirectories builds and catches an exception for a directory that exists
        if (dir.toFile().isDirectory()) {
            return false;
        }
        Files.createDirectories(dir);
        return true;
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
