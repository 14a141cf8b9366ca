package org.jvirtd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenArchiveIsPutInPlaceAndOlderOnesGo() throws IOException {
        Path archive = dir.resolve("classes-2.jsa");
        Files.writeString(archive.resolveSibling("classes-2.jsa.tmp"), "new");
        Files.writeString(dir.resolve("classes-1.jsa"), "of another JDK");
        Files.writeString(dir.resolve("felix-cache.stamp"), "kept");
        ClassArchive.install(archive.resolveSibling("classes-2.jsa.tmp"), archive);
        assertEquals("new", Files.readString(archive));
        assertFalse(Files.exists(dir.resolve("classes-2.jsa.tmp")));
        assertFalse(Files.exists(dir.resolve("classes-1.jsa")));
        assertTrue(Files.exists(dir.resolve("felix-cache.stamp")));
    }

    @Test
    void anEmptyDumpIsNotPutInPlace() throws IOException {
        Path archive = dir.resolve("classes-2.jsa");
        Files.writeString(dir.resolve("classes-1.jsa"), "of another JDK");
        Files.createFile(archive.resolveSibling("classes-2.jsa.tmp"));
        ClassArchive.install(archive.resolveSibling("classes-2.jsa.tmp"), archive);
        assertFalse(Files.exists(archive));
        assertFalse(Files.exists(archive.resolveSibling("classes-2.jsa.tmp")));
        assertTrue(Files.exists(dir.resolve("classes-1.jsa")));
    }
}
