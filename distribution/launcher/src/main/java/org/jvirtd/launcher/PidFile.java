package org.jvirtd.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The daemon's pid file, locked for as long as the daemon runs, so a second daemon with the same pid
 * file refuses to start (as libvirtd does), filled in once the daemon serves, and removed at exit.
 */
final class PidFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private PidFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    static PidFile acquire(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            String holder = Files.readString(path, StandardCharsets.UTF_8).strip();
            throw new IOException("Failed to acquire pid file '" + path + "': Resource temporarily unavailable"
                + (holder.isEmpty() ? "" : " (held by pid " + holder + ")"));
        }
        channel.truncate(0);
        return new PidFile(path, channel, lock);
    }

    /** Writes the pid: the sign, for bin/jvirtd -d, that the daemon is up and serving. */
    void publish() throws IOException {
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            Files.deleteIfExists(path);
            lock.release();
            channel.close();
        } catch (IOException e) {
            System.err.println("jvirtd: cannot remove pid file " + path + ": " + e.getMessage());
        }
    }
}
