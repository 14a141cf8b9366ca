package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of small files (definitions, autostart links) whose every change is durable when the call
 * returns, for the price of one data sync of a preallocated journal instead of a file sync, a rename and a
 * directory sync per change.
 *
 * <p>A change is appended to {@code .journal} and synced; the files themselves are written by the next
 * checkpoint, once changes pause for {@value #IDLE_CHECKPOINT_MILLIS} ms (and when the journal is full,
 * and on close), each atomically (temp file, fsync, rename) with one sync per directory for the batch.
 * So a file on disk always holds an old or the new content, never a torn one, and opening replays what
 * the journal of an interrupted run holds beyond the files.
 */
public final class JournaledDirectory implements AutoCloseable {
    /** The journal's file name inside the directory (hidden, so listings of {@code *.xml} skip it). */
    public static final String JOURNAL_NAME = ".journal";
    /** Room for about 4000 typical domain definitions between two checkpoints. */
    public static final int DEFAULT_CAPACITY = 4 << 20;
    static final int HEADER_SIZE = 4096;
    static final long IDLE_CHECKPOINT_MILLIS = 100;
    private static final System.Logger LOG = System.getLogger(JournaledDirectory.class.getName());
    private static final String TEMP_SUFFIX = ".jtmp";

    /** The latest journaled state of one path: content, a link target, or deleted. */
    private record Change(byte op, byte[] data) {
    }

    private final Path root;
    private final FileChannel journal;
    private final int capacity;
    // order: checkpointLock before lock; lock guards the fields below and the journal's tail
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Path, Change> pending = new HashMap<>();
    private final ScheduledExecutorService checkpointer;
    private long epoch;
    private int end = HEADER_SIZE;
    private long lastAppendNanos;
    private boolean checkpointScheduled;
    private boolean closed;

    private JournaledDirectory(Path root, FileChannel journal, int capacity) {
        this.root = root;
        this.journal = journal;
        this.capacity = capacity;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jvirtd-journal " + root);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.checkpointer = executor;
    }

    /** Opens (creating as needed) the directory and its journal, replaying changes a crash left unapplied. */
    public static JournaledDirectory open(Path root) throws IOException {
        return open(root, DEFAULT_CAPACITY);
    }

    static JournaledDirectory open(Path root, int capacity) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve(JOURNAL_NAME);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        try {
            preallocate(channel, capacity);
            if (created) {
                AtomicFiles.syncDirectory(dir);
            }
            JournaledDirectory journaled = new JournaledDirectory(dir, channel, capacity);
            journaled.recover();
            return journaled;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The directory this journal covers. */
    public Path root() {
        return root;
    }

    /** Replaces (or creates) a file under the root with this content; durable on return. */
    public void write(Path file, byte[] content) throws IOException {
        commit(Map.of(inside(file), new Change(JournalRecord.PUT, content.clone())));
    }

    /** Replaces (or creates) a file under the root with this text in UTF-8; durable on return. */
    public void write(Path file, String content) throws IOException {
        commit(Map.of(inside(file), new Change(JournalRecord.PUT, content.getBytes(StandardCharsets.UTF_8))));
    }

    /** Creates or replaces a symbolic link under the root; durable on return. */
    public void symlink(Path link, Path target) throws IOException {
        commit(Map.of(inside(link), new Change(JournalRecord.LINK, target.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** Deletes files under the root (those that exist) in one durable step. */
    public void delete(Path... files) throws IOException {
        Map<Path, Change> deletions = new LinkedHashMap<>();
        for (Path file : files) {
            // no existence check: a missing file costs Files.exists an exception, its deletion costs nothing
            deletions.put(inside(file), new Change(JournalRecord.DELETE, new byte[0]));
        }
        commit(deletions);
    }

    /** Whether a file or link exists under the root, journaled changes included. */
    public boolean exists(Path file) {
        Path target = inside(file);
        lock.lock();
        try {
            return existsLocked(target);
        } finally {
            lock.unlock();
        }
    }

    /** Writes every journaled change to its file and empties the journal. */
    public void checkpoint() throws IOException {
        checkpointLock.lock();
        try {
            Map<Path, Change> batch;
            int mark;
            lock.lock();
            try {
                if (closed || pending.isEmpty() && end == HEADER_SIZE) {
                    return;
                }
                batch = new HashMap<>(pending);
                mark = end;
            } finally {
                lock.unlock();
            }
            // the slow part runs unlocked, so changes keep flowing; they stay pending and journaled
            materialize(batch);
            lock.lock();
            try {
                pending.entrySet().removeIf(entry -> batch.get(entry.getKey()) == entry.getValue());
                if (end == mark) {
                    startEpoch(epoch + 1);
                } else {
                    scheduleCheckpoint();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        checkpointLock.lock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            checkpointer.shutdownNow();
            try {
                checkpointLocked();
            } finally {
                closed = true;
                journal.close();
            }
        } finally {
            lock.unlock();
            checkpointLock.unlock();
        }
    }

    /** Stops like a killed process would: no checkpoint, the files as the last checkpoint left them. */
    void abandon() throws IOException {
        lock.lock();
        try {
            checkpointer.shutdownNow();
            closed = true;
            journal.close();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of journal in use past the header (0 right after a checkpoint). */
    int journaledBytes() {
        lock.lock();
        try {
            return end - HEADER_SIZE;
        } finally {
            lock.unlock();
        }
    }

    // ---- journal

    private void commit(Map<Path, Change> changes) throws IOException {
        while (true) {
            lock.lock();
            try {
                if (closed) {
                    throw new IOException("journal of " + root + " is closed");
                }
                ByteBuffer records = encode(changes);
                if (records.remaining() > capacity - HEADER_SIZE) {
                    break;
                }
                if (end + records.remaining() <= capacity) {
                    append(records);
                    pending.putAll(changes);
                    scheduleCheckpoint();
                    return;
                }
            } finally {
                lock.unlock();
            }
            fullCheckpoint();
        }
        writeDirectly(changes);
    }

    private ByteBuffer encode(Map<Path, Change> changes) {
        List<byte[]> records = changes.entrySet().stream()
            .map(entry -> JournalRecord.encode(epoch, entry.getValue().op(), relative(entry.getKey()),
                entry.getValue().data()))
            .toList();
        ByteBuffer buffer = ByteBuffer.allocate(records.stream().mapToInt(r -> r.length).sum());
        records.forEach(buffer::put);
        return buffer.flip();
    }

    private void append(ByteBuffer records) throws IOException {
        int length = records.remaining();
        writeFully(records, end);
        // the journal's blocks are allocated already: a data sync commits no metadata
        journal.force(false);
        end += length;
        lastAppendNanos = System.nanoTime();
    }

    /** The journal has no room: every appender waits while the pending changes are written out. */
    private void fullCheckpoint() throws IOException {
        checkpointLock.lock();
        lock.lock();
        try {
            checkpointLocked();
        } finally {
            lock.unlock();
            checkpointLock.unlock();
        }
    }

    /** A change larger than the whole journal: after a checkpoint, written the slow, direct way. */
    private void writeDirectly(Map<Path, Change> changes) throws IOException {
        checkpointLock.lock();
        lock.lock();
        try {
            checkpointLocked();
            materialize(changes);
        } finally {
            lock.unlock();
            checkpointLock.unlock();
        }
    }

    private void checkpointLocked() throws IOException {
        if (pending.isEmpty() && end == HEADER_SIZE) {
            return;
        }
        materialize(pending);
        pending.clear();
        startEpoch(epoch + 1);
    }

    /** A new header makes every record of older epochs invisible; nothing else needs erasing. */
    private void startEpoch(long next) throws IOException {
        writeFully(JournalRecord.header(next), 0);
        journal.force(false);
        epoch = next;
        end = HEADER_SIZE;
    }

    private void scheduleCheckpoint() {
        if (checkpointScheduled || closed) {
            return;
        }
        checkpointScheduled = true;
        checkpointer.schedule(this::idleCheckpoint, IDLE_CHECKPOINT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void idleCheckpoint() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAppendNanos);
            if (idleMillis < IDLE_CHECKPOINT_MILLIS) {
                checkpointer.schedule(this::idleCheckpoint, IDLE_CHECKPOINT_MILLIS - idleMillis, TimeUnit.MILLISECONDS);
                return;
            }
            checkpointScheduled = false;
        } finally {
            lock.unlock();
        }
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, root + ": cannot write journaled changes yet, the journal keeps them", e);
            lock.lock();
            try {
                scheduleCheckpoint();
            } finally {
                lock.unlock();
            }
        }
    }

    private void recover() throws IOException {
        removeTempFiles(root);
        long lastEpoch = JournalRecord.readHeaderEpoch(journal);
        List<JournalRecord> records = JournalRecord.readAll(journal, HEADER_SIZE, capacity);
        for (JournalRecord record : records) {
            pending.put(inside(Path.of(record.path())), new Change(record.op(), record.data()));
            lastEpoch = Math.max(lastEpoch, record.epoch());
        }
        if (!records.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: replaying {1} journaled changes (the last run did not stop cleanly)",
                root, records.size());
        }
        materialize(pending);
        pending.clear();
        startEpoch(lastEpoch + 1);
    }

    private boolean existsLocked(Path target) {
        Change change = pending.get(target);
        if (change != null) {
            return change.op() != JournalRecord.DELETE;
        }
        // java.io.File says false for a missing file without building an exception; a link counts itself
        return target.toFile().exists() || Files.isSymbolicLink(target);
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += journal.write(buffer, at);
        }
    }

    // ---- files

    /** Brings the files to these states: each file atomically, each touched directory synced once. */
    private static void materialize(Map<Path, Change> changes) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Map.Entry<Path, Change> entry : changes.entrySet()) {
            Path target = entry.getKey();
            Change change = entry.getValue();
            switch (change.op()) {
                case JournalRecord.PUT -> replaceFile(target, change.data());
                case JournalRecord.LINK -> replaceLink(target, Path.of(new String(change.data(), StandardCharsets.UTF_8)));
                case JournalRecord.DELETE -> deleteFile(target);
                default -> throw new IllegalStateException("unknown journal operation " + change.op());
            }
            dirs.add(target.getParent());
        }
        for (Path dir : dirs) {
            try {
                AtomicFiles.syncDirectory(dir);
            } catch (NoSuchFileException gone) {
                // nothing of ours is left in it
            }
        }
    }

    private static void replaceFile(Path target, byte[] content) throws IOException {
        AtomicFiles.ensureDirectory(target.getParent());
        Path temp = tempFor(target);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteFile(Path target) throws IOException {
        // java.io.File reports a missing file as false; Files.deleteIfExists builds an exception for it
        java.io.File file = target.toFile();
        if (!file.delete() && file.exists()) {
            throw new IOException("cannot delete " + target);
        }
    }

    private static void replaceLink(Path link, Path target) throws IOException {
        AtomicFiles.ensureDirectory(link.getParent());
        Path temp = tempFor(link);
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void preallocate(FileChannel channel, int capacity) throws IOException {
        long size = channel.size();
        if (size >= capacity) {
            return;
        }
        // written zeros, not a sparse tail: appends must not allocate blocks, or each sync commits metadata
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long at = size; at < capacity; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
            at += channel.write(zeros, at);
        }
        channel.force(true);
    }

    private static void removeTempFiles(Path dir) throws IOException {
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

    private static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
    }

    private Path inside(Path file) {
        Path target = root.resolve(file).toAbsolutePath().normalize();
        if (!target.startsWith(root) || target.equals(root) || target.getFileName().toString().equals(JOURNAL_NAME)) {
            throw new IllegalArgumentException(file + " is not a file under " + root);
        }
        return target;
    }

    private String relative(Path target) {
        return root.relativize(target).toString();
    }
}
