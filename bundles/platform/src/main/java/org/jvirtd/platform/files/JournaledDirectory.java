package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jvirtd.platform.files.ChangeWriter.Change;

/**
 * A directory of small files (definitions, autostart links) whose every change is durable when the call
 * returns, for the price of one data sync of a preallocated journal instead of a file sync, a rename and a
 * directory sync per change.
 *
 * <p>A change is appended to {@code .journal} and synced; the files themselves are written by the next
 * checkpoint, once changes pause for {@value #IDLE_CHECKPOINT_MILLIS} ms (and when the journal is full,
 * and on close), each atomically (temp file, fsync, rename) with one sync per directory for the batch.
 * So a file on disk always holds an old or the new content, never a torn one, and opening replays what
 * the journal of an interrupted run holds beyond the files. A file that cannot be written is carried into
 * the next epoch of the journal and retried; it does not hold up the others. The journal is locked: one
 * instance per directory, in this process and across processes.
 */
public final class JournaledDirectory implements AutoCloseable {
    /** The journal's file name inside the directory (hidden, so listings of {@code *.xml} skip it). */
    public static final String JOURNAL_NAME = ".journal";
    /** Room for about 2000 typical domain definitions between two checkpoints (an epoch uses half). */
    public static final int DEFAULT_CAPACITY = 4 << 20;
    static final int HEADER_SIZE = 4096;
    static final long IDLE_CHECKPOINT_MILLIS = 100;
    private static final int MAX_FILE_NAME_BYTES = 255;
    private static final System.Logger LOG = System.getLogger(JournaledDirectory.class.getName());

    /** One action on the journal file; run again on a reopened channel if an interrupt closed the first. */
    private interface JournalIo {
        void run(FileChannel channel) throws IOException;
    }

    private final Path root;
    private final Path file;
    private final int capacity;
    // order: checkpointLock before lock; lock guards the fields below and the journal's tail
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Path, Change> pending = new HashMap<>();
    private final ScheduledExecutorService checkpointer;
    private FileChannel journal;
    private long epoch;
    private int start = HEADER_SIZE;
    private int end = HEADER_SIZE;
    private long lastAppendNanos;
    private long appendSyncs;
    private boolean checkpointScheduled;
    private boolean closed;

    private JournaledDirectory(Path root, FileChannel journal, int capacity) {
        this.root = root;
        this.file = root.resolve(JOURNAL_NAME);
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
        FileChannel channel = openLocked(dir.resolve(JOURNAL_NAME));
        try {
            preallocate(channel, capacity);
            // the journal's own entry and the directory's entry in its parent: durable before any record counts
            AtomicFiles.syncDirectory(dir);
            if (dir.getParent() != null) {
                AtomicFiles.syncDirectory(dir.getParent());
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

    /**
     * Deletes files under the root (those that exist), each durably, in the order given: a crash during
     * the call may leave the first deleted and not the last.
     */
    public void delete(Path... files) throws IOException {
        Map<Path, Change> deletions = new LinkedHashMap<>();
        for (Path file : files) {
            // no existence check: a missing file costs Files.exists an exception, its deletion costs nothing
            deletions.put(inside(file), new Change(JournalRecord.DELETE, new byte[0]));
        }
        commit(deletions);
    }

    /**
     * Deletes files under the root without waiting for the disk, as libvirt removes a definition (an unlink it
     * never syncs): the deletion is journaled at once and durable with the next durable change or the idle
     * checkpoint, {@value #IDLE_CHECKPOINT_MILLIS} ms after changes pause; a crash before either may bring the
     * files back, whole. What callers see ({@link #exists}, the files after a restart without a crash) is the
     * same as after {@link #delete}.
     */
    public void deleteWithoutSync(Path... files) throws IOException {
        Map<Path, Change> deletions = new LinkedHashMap<>();
        for (Path file : files) {
            deletions.put(inside(file), new Change(JournalRecord.DELETE, new byte[0]));
        }
        commit(deletions, false);
    }

    /** Whether a file or link exists under the root, journaled changes included. */
    public boolean exists(Path file) {
        Path target = inside(file);
        lock.lock();
        try {
            Change change = pending.get(target);
            if (change != null) {
                return change.op() != JournalRecord.DELETE;
            }
            return target.toFile().exists() || Files.isSymbolicLink(target);
        } finally {
            lock.unlock();
        }
    }

    /** Writes every journaled change to its file and empties the journal (but for files that failed). */
    public void checkpoint() throws IOException {
        checkpointLock.lock();
        try {
            Map<Path, Change> batch;
            int mark;
            lock.lock();
            try {
                if (closed || pending.isEmpty() && end == start) {
                    return;
                }
                batch = new HashMap<>(pending);
                mark = end;
            } finally {
                lock.unlock();
            }
            // the slow part runs unlocked, so changes keep flowing; they stay pending and journaled
            Map<Path, IOException> failed = ChangeWriter.write(batch);
            lock.lock();
            try {
                pending.entrySet().removeIf(entry -> batch.get(entry.getKey()) == entry.getValue()
                    && !failed.containsKey(entry.getKey()));
                report(failed);
                if (closed) {
                    return;
                }
                if (end == mark) {
                    startEpoch();
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

    /** How many appends synced the journal before they returned. */
    long appendSyncs() {
        lock.lock();
        try {
            return appendSyncs;
        } finally {
            lock.unlock();
        }
    }

    /** Where the current epoch's records begin in the journal file. */
    int epochStart() {
        lock.lock();
        try {
            return start;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of journal in use by the current epoch (0 right after a checkpoint that wrote every file). */
    int journaledBytes() {
        lock.lock();
        try {
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    // ---- journal

    private void commit(Map<Path, Change> changes) throws IOException {
        commit(changes, true);
    }

    private void commit(Map<Path, Change> changes, boolean sync) throws IOException {
        for (Path target : changes.keySet()) {
            checkName(target);
        }
        for (boolean checkpointed = false; ; checkpointed = true) {
            lock.lock();
            try {
                ensureOpen();
                byte[] records = encode(changes, epoch);
                if (records.length > regionSize()) {
                    break;
                }
                if (end + records.length <= start + regionSize()) {
                    append(records, sync);
                    pending.putAll(changes);
                    scheduleCheckpoint();
                    return;
                }
                if (checkpointed) {
                    throw new IOException("journal of " + root + " is full of " + pending.size()
                        + " changes whose files cannot be written (see the warnings logged)");
                }
            } finally {
                lock.unlock();
            }
            fullCheckpoint();
        }
        writeDirectly(changes);
    }

    private byte[] encode(Map<Path, Change> changes, long recordEpoch) throws IOException {
        List<byte[]> records;
        try {
            records = changes.entrySet().stream()
                .map(entry -> JournalRecord.encode(recordEpoch, entry.getValue().op(), relative(entry.getKey()),
                    entry.getValue().data()))
                .toList();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(records.stream().mapToInt(r -> r.length).sum());
        records.forEach(buffer::put);
        return buffer.array();
    }

    private void append(byte[] records, boolean sync) throws IOException {
        int at = end;
        journalIo(channel -> {
            writeFully(channel, ByteBuffer.wrap(records), at);
            if (sync) {
                // the journal's blocks are allocated already: a data sync commits no metadata; it covers the
                // records appended before it without one too
                channel.force(false);
                appendSyncs++;
            }
        });
        end += records.length;
        lastAppendNanos = System.nanoTime();
    }

    /** The journal has no room: every appender waits while the pending changes are written out. */
    private void fullCheckpoint() throws IOException {
        checkpointLock.lock();
        lock.lock();
        try {
            ensureOpen();
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
            ensureOpen();
            checkpointLocked();
            Map<Path, IOException> failed = ChangeWriter.write(changes);
            if (!failed.isEmpty()) {
                throw failed.values().iterator().next();
            }
            if (pending.keySet().removeAll(changes.keySet())) {
                // older changes of these files were carried: the journal must not replay them over the new ones
                startEpoch();
            }
        } finally {
            lock.unlock();
            checkpointLock.unlock();
        }
    }

    private void checkpointLocked() throws IOException {
        if (pending.isEmpty() && end == start) {
            return;
        }
        Map<Path, IOException> failed = ChangeWriter.write(pending);
        pending.keySet().retainAll(failed.keySet());
        report(failed);
        startEpoch();
    }

    /**
     * Starts the next epoch in the other half of the journal: the changes still pending (files that could
     * not be written) become its first records, then the header names the new epoch and where it starts. Until
     * the header is synced, the old epoch (which holds those changes too) is the one a restart replays.
     */
    private void startEpoch() throws IOException {
        long next = epoch + 1;
        byte[] carried = encode(pending, next);
        // epochs take turns in the two halves, so carried records never overwrite the old epoch's
        int first = start == HEADER_SIZE ? HEADER_SIZE + regionSize() : HEADER_SIZE;
        if (carried.length > regionSize()) {
            // no room to carry them: keep the epoch, its records hold everything
            return;
        }
        journalIo(channel -> {
            if (carried.length > 0) {
                writeFully(channel, ByteBuffer.wrap(carried), first);
                channel.force(false);
            }
            writeFully(channel, JournalRecord.header(next, first), 0);
            channel.force(false);
        });
        epoch = next;
        start = first;
        end = first + carried.length;
    }

    /** Room for one epoch's records: half of what follows the header. */
    private int regionSize() {
        return (capacity - HEADER_SIZE) / 2;
    }

    private void report(Map<Path, IOException> failed) {
        failed.forEach((path, e) -> LOG.log(System.Logger.Level.WARNING,
            "cannot write {0} yet, the journal keeps its change: {1}", path, e.getMessage()));
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
            // the next change tries again; the journal keeps everything meanwhile
            LOG.log(System.Logger.Level.WARNING, "{0}: checkpoint failed, the journal keeps the changes: {1}", root,
                e.getMessage());
        }
    }

    private void recover() throws IOException {
        ChangeWriter.removeTempFiles(root);
        JournalRecord.Header header = JournalRecord.readHeader(journal, HEADER_SIZE);
        List<JournalRecord> records = JournalRecord.readAll(journal, header);
        long lastEpoch = header.epoch();
        for (JournalRecord record : records) {
            lastEpoch = Math.max(lastEpoch, record.epoch());
            Path relative = record.relativePath();
            if (relative == null) {
                LOG.log(System.Logger.Level.ERROR, "{0}: skipping a journaled change whose file name cannot be used "
                    + "here ({1} bytes; check the locale's charset)", root, record.path().length);
                continue;
            }
            pending.put(root.resolve(relative).normalize(), new Change(record.op(), record.data()));
        }
        if (!records.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: replaying {1} journaled changes (the last run did not stop cleanly)",
                root, records.size());
        }
        epoch = lastEpoch;
        start = header.start();
        end = start + records.stream().mapToInt(JournalRecord::size).sum();
        Map<Path, IOException> failed = ChangeWriter.write(pending);
        pending.keySet().retainAll(failed.keySet());
        report(failed);
        startEpoch();
    }

    /** Runs journal I/O that a caller's interrupt must not break: FileChannel closes itself on one. */
    private void journalIo(JournalIo action) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                action.run(journal);
            } catch (ClosedByInterruptException e) {
                interrupted |= Thread.interrupted();
                journal = openLocked(file);
                action.run(journal);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("journal of " + root + " is closed");
        }
    }

    private static FileChannel openLocked(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        try {
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new IOException("journal " + file + " is in use by another process");
            }
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("journal " + file + " is already open in this process", e);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
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

    /** A name the file system would refuse must fail the call now, not every checkpoint after it. */
    private static void checkName(Path target) throws IOException {
        if (target.getFileName().toString().getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
            throw new FileSystemException(target.toString(), null, "File name too long");
        }
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
