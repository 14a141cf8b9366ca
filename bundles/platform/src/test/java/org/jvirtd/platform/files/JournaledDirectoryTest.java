package org.jvirtd.platform.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointWritesTheLatestContentOfEveryFileAndEmptiesTheJournal() throws IOException {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            files.write(dir.resolve("vm1.xml"), "<domain>1</domain>");
            files.write(Path.of("vm1.xml"), "<domain>2</domain>");
            assertTrue(files.exists(dir.resolve("vm1.xml")));
            assertTrue(files.journaledBytes() > 0);
            files.checkpoint();
            assertEquals(0, files.journaledBytes());
            assertEquals("<domain>2</domain>", Files.readString(dir.resolve("vm1.xml")));
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(List.of(".journal", "vm1.xml"), listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(JournaledDirectory.DEFAULT_CAPACITY, Files.size(dir.resolve(".journal")));
    }

    @Test
    void filesFollowOnTheirOwnOnceChangesPause() throws Exception {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            files.write(dir.resolve("vm1.xml"), "<domain/>");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (files.journaledBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(JournaledDirectory.IDLE_CHECKPOINT_MILLIS / 4);
            }
            assertEquals(0, files.journaledBytes());
            assertEquals("<domain/>", Files.readString(dir.resolve("vm1.xml")));
        }
    }

    @Test
    void aDeletionWithoutSyncReturnsBeforeTheDiskAndIsOnItOnceChangesPause() throws Exception {
        Files.writeString(dir.resolve("vm1.xml"), "<old/>");
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            files.write(dir.resolve("vm2.xml"), "<new/>");
            assertEquals(1, files.appendSyncs());
            files.deleteWithoutSync(dir.resolve("vm1.xml"), dir.resolve("never-was.xml"));
            assertEquals(1, files.appendSyncs(), "libvirt's undefine unlinks without a sync; so does this");
            assertFalse(files.exists(dir.resolve("vm1.xml")));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (files.journaledBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(JournaledDirectory.IDLE_CHECKPOINT_MILLIS / 4);
            }
            assertEquals(0, files.journaledBytes(), "the idle checkpoint wrote the deletion out");
            assertFalse(Files.exists(dir.resolve("vm1.xml")));
            files.delete(dir.resolve("vm2.xml"));
            assertEquals(2, files.appendSyncs(), "a durable deletion still syncs");
        }
    }

    @Test
    void aDeletionWithoutSyncIsReplayedAfterAKilledProcessLikeADurableOne() throws IOException {
        Files.writeString(dir.resolve("gone.xml"), "<gone/>");
        JournaledDirectory files = JournaledDirectory.open(dir);
        files.deleteWithoutSync(dir.resolve("gone.xml"));
        files.abandon();
        assertTrue(Files.exists(dir.resolve("gone.xml")), "the checkpoint never ran");
        try (JournaledDirectory reopened = JournaledDirectory.open(dir)) {
            assertEquals(0, reopened.journaledBytes());
        }
        assertFalse(Files.exists(dir.resolve("gone.xml")));
    }

    @Test
    void aKilledProcessLosesNoCompletedChangeAndLeavesEveryFileOldOrNew() throws IOException {
        Files.writeString(dir.resolve("vm1.xml"), "<old/>");
        Files.writeString(dir.resolve("gone.xml"), "<gone/>");
        JournaledDirectory files = JournaledDirectory.open(dir);
        files.write(dir.resolve("vm1.xml"), "<new/>");
        files.symlink(dir.resolve("autostart/vm1.xml"), dir.resolve("vm1.xml"));
        files.delete(dir.resolve("gone.xml"), dir.resolve("never-was.xml"));
        assertFalse(files.exists(dir.resolve("gone.xml")));
        assertTrue(files.exists(dir.resolve("autostart/vm1.xml")));
        files.abandon();
        assertEquals("<old/>", Files.readString(dir.resolve("vm1.xml")));

        try (JournaledDirectory reopened = JournaledDirectory.open(dir)) {
            assertEquals(0, reopened.journaledBytes());
        }
        assertEquals("<new/>", Files.readString(dir.resolve("vm1.xml")));
        assertEquals(dir.resolve("vm1.xml"), Files.readSymbolicLink(dir.resolve("autostart/vm1.xml")));
        assertFalse(Files.exists(dir.resolve("gone.xml")));
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheChangesBeforeItReplayed() throws IOException {
        JournaledDirectory files = JournaledDirectory.open(dir);
        files.write(dir.resolve("a.xml"), "<a/>");
        int used = files.epochStart() + files.journaledBytes();
        files.write(dir.resolve("b.xml"), "<b/>");
        files.abandon();
        // cut the second record in half, as a write interrupted mid-way leaves it
        try (FileChannel journal = FileChannel.open(dir.resolve(".journal"), StandardOpenOption.WRITE)) {
            journal.write(ByteBuffer.allocate(8), used + 20);
        }

        JournaledDirectory.open(dir).close();
        assertEquals("<a/>", Files.readString(dir.resolve("a.xml")));
        assertFalse(Files.exists(dir.resolve("b.xml")));
    }

    @Test
    void recordsOfAnEarlierEpochAreNotReplayedAfterACheckpoint() throws IOException {
        JournaledDirectory files = JournaledDirectory.open(dir);
        files.write(dir.resolve("long-name-first.xml"), "<first>" + "x".repeat(500) + "</first>");
        files.write(dir.resolve("second.xml"), "<second/>");
        files.checkpoint();
        files.write(dir.resolve("c.xml"), "<c/>");
        files.abandon();
        // removed by hand after the checkpoint: stale records must not bring them back
        Files.delete(dir.resolve("long-name-first.xml"));
        Files.delete(dir.resolve("second.xml"));

        JournaledDirectory.open(dir).close();
        assertFalse(Files.exists(dir.resolve("long-name-first.xml")));
        assertFalse(Files.exists(dir.resolve("second.xml")));
        assertEquals("<c/>", Files.readString(dir.resolve("c.xml")));
    }

    @Test
    void aFullJournalCheckpointsAndKeepsEveryChange() throws IOException {
        int capacity = JournaledDirectory.HEADER_SIZE + 1024;
        try (JournaledDirectory files = JournaledDirectory.open(dir, capacity)) {
            for (int i = 0; i < 50; i++) {
                files.write(dir.resolve("vm" + i + ".xml"), "<domain>" + i + "</domain>");
                assertTrue(files.journaledBytes() <= 512, "an epoch stays in its half of the journal");
            }
            // larger than the whole journal: written directly, durably
            files.write(dir.resolve("big.xml"), "y".repeat(4096));
            assertEquals(4096, Files.size(dir.resolve("big.xml")));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("<domain>" + i + "</domain>", Files.readString(dir.resolve("vm" + i + ".xml")));
        }
    }

    @Test
    void aNameTheFileSystemWouldRefuseFailsTheCallAndNothingElse() throws IOException {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            // 254 bytes: a legal name, whose temp name would not be; 256 bytes: refused before journaling
            files.write(dir.resolve("n".repeat(250) + ".xml"), "<long/>");
            assertThrows(java.nio.file.FileSystemException.class, () -> files.write(dir.resolve("n".repeat(252) + ".xml"), "x"));
            files.write(dir.resolve("vm.xml"), "<vm/>");
            files.checkpoint();
            assertEquals(0, files.journaledBytes());
        }
        assertEquals("<long/>", Files.readString(dir.resolve("n".repeat(250) + ".xml")));
        assertEquals("<vm/>", Files.readString(dir.resolve("vm.xml")));
    }

    @Test
    void aFileThatCannotBeWrittenIsCarriedAndDoesNotHoldUpTheOthers() throws IOException {
        Files.writeString(dir.resolve("sub"), "a plain file where a directory is needed");
        int capacity = JournaledDirectory.HEADER_SIZE + 2048;
        JournaledDirectory files = JournaledDirectory.open(dir, capacity);
        files.write(dir.resolve("sub/blocked.xml"), "<blocked/>");
        for (int i = 0; i < 60; i++) {
            // many times the journal's room: checkpoints must keep emptying it around the blocked change
            files.write(dir.resolve("vm" + i + ".xml"), "<domain>" + i + "</domain>");
        }
        files.checkpoint();
        assertEquals("<domain>59</domain>", Files.readString(dir.resolve("vm59.xml")));
        assertTrue(files.journaledBytes() > 0, "the blocked change stays journaled");
        files.abandon();

        JournaledDirectory.open(dir, capacity).abandon();
        Files.delete(dir.resolve("sub"));
        JournaledDirectory.open(dir, capacity).close();
        assertEquals("<blocked/>", Files.readString(dir.resolve("sub/blocked.xml")));
    }

    @Test
    void anInterruptedCallerNeitherFailsNorBreaksTheJournal() throws Exception {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            Thread.currentThread().interrupt();
            try {
                files.write(dir.resolve("a.xml"), "<a/>");
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            } finally {
                Thread.interrupted();
            }
            files.write(dir.resolve("b.xml"), "<b/>");
        }
        assertEquals("<a/>", Files.readString(dir.resolve("a.xml")));
        assertEquals("<b/>", Files.readString(dir.resolve("b.xml")));
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryIsRefused() throws IOException {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> JournaledDirectory.open(dir));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            files.write(dir.resolve("a.xml"), "<a/>");
        }
        JournaledDirectory.open(dir).close();
        assertEquals("<a/>", Files.readString(dir.resolve("a.xml")));
    }

    @Test
    void aRecordWithAPathOutsideTheDirectoryIsSkippedAndTheRestReplayed() throws IOException {
        JournaledDirectory files = JournaledDirectory.open(dir);
        files.write(dir.resolve("a.xml"), "<a/>");
        int used = files.epochStart() + files.journaledBytes();
        files.abandon();
        // a record with a valid checksum that names ../escape.xml, then a good one behind it
        try (FileChannel journal = FileChannel.open(dir.resolve(".journal"), StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            long epoch = JournalRecord.readHeader(journal, JournaledDirectory.HEADER_SIZE).epoch();
            byte[] bad = JournalRecord.encode(epoch, JournalRecord.PUT, "../escape.xml", "x".getBytes());
            byte[] good = JournalRecord.encode(epoch, JournalRecord.PUT, "b.xml", "<b/>".getBytes());
            journal.write(ByteBuffer.wrap(bad), used);
            journal.write(ByteBuffer.wrap(good), used + bad.length);
        }
        JournaledDirectory.open(dir).close();
        assertEquals("<a/>", Files.readString(dir.resolve("a.xml")));
        assertEquals("<b/>", Files.readString(dir.resolve("b.xml")));
        assertFalse(Files.exists(dir.resolveSibling("escape.xml")));
    }

    @Test
    void leftoverTemporaryFilesAreRemovedOnOpen() throws IOException {
        Files.createDirectories(dir.resolve("autostart"));
        Files.writeString(dir.resolve(".jvirtd-write.jtmp"), "half");
        Files.writeString(dir.resolve("autostart/.vm.xml.jtmp"), "half");
        JournaledDirectory.open(dir).close();
        assertFalse(Files.exists(dir.resolve(".jvirtd-write.jtmp")));
        assertFalse(Files.exists(dir.resolve("autostart/.vm.xml.jtmp")));
    }

    @Test
    void pathsOutsideTheDirectoryAndTheJournalItselfAreRefused() throws IOException {
        try (JournaledDirectory files = JournaledDirectory.open(dir)) {
            assertThrows(IllegalArgumentException.class, () -> files.write(dir.resolve("../escape.xml"), "x"));
            assertThrows(IllegalArgumentException.class, () -> files.write(Path.of("/etc/passwd"), "x"));
            assertThrows(IllegalArgumentException.class, () -> files.write(dir.resolve(".journal"), "x"));
            assertThrows(IllegalArgumentException.class, () -> files.delete(dir.resolve("../other.xml")));
        }
        assertFalse(Files.exists(dir.resolveSibling("escape.xml")));
    }
}
