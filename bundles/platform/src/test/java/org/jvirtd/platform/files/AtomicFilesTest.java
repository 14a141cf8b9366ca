package org.jvirtd.platform.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeCreatesParentsAndReplacesContentLeavingNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("a/b/vm.xml");
        AtomicFiles.write(file, "<old/>");
        AtomicFiles.write(file, "<new/>");
        assertEquals("<new/>", Files.readString(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void symlinkIsCreatedAndReplaced() throws IOException {
        Path link = dir.resolve("autostart/vm.xml");
        AtomicFiles.symlink(link, dir.resolve("vm.xml"));
        AtomicFiles.symlink(link, dir.resolve("other.xml"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(dir.resolve("other.xml"), Files.readSymbolicLink(link));
    }

    @Test
    void deleteReportsWhetherSomethingWasRemoved() throws IOException {
        Path file = dir.resolve("x");
        AtomicFiles.write(file, "x");
        assertTrue(AtomicFiles.delete(file));
        assertFalse(AtomicFiles.delete(file));
    }
}
