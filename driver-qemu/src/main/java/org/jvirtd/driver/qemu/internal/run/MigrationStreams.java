package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.process.SaveImage;

/**
 * Save and restore through QEMU's migration stream over a UNIX socket the driver serves: the stream is
 * copied behind the save image's header, and fed back from there to an incoming QEMU.
 */
public final class MigrationStreams {
    private static final long TIMEOUT_SECONDS = 300;

    private MigrationStreams() {
    }

    public static void save(QemuRun run, Path file, String xml, boolean wasRunning, Path privateDir) {
        try (FileChannel out = SaveImage.create(file, xml, wasRunning)) {
            stream(run, out, file, privateDir, true);
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "saving to '" + file + "' failed: " + e.getMessage());
        }
    }

    /**
     * The same save image of a guest that runs on (a snapshot's memory): a pause the migration makes is the
     * guest's state change like any other, reported as libvirt reports it.
     */
    public static void saveMemory(QemuRun run, Path file, String xml, boolean wasRunning, Path privateDir) {
        try (FileChannel out = SaveImage.create(file, xml, wasRunning)) {
            stream(run, out, file, privateDir, false);
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "saving to '" + file + "' failed: " + e.getMessage());
        }
    }

    /**
     * The guest's migration stream alone into {@code file} (virDomainCoreDump without memory-only): QEMU ends
     * paused; the caller resumes it where the guest is to run on.
     */
    public static void dump(QemuRun run, Path file, Path privateDir) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            stream(run, out, file, privateDir, true);
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "dumping to '" + file + "' failed: " + e.getMessage());
        }
    }

    /** Migrates the guest through a private unix socket into {@code out}, and waits until QEMU says completed. */
    private static void stream(QemuRun run, FileChannel out, Path file, Path privateDir, boolean quietPause)
        throws IOException {
        Path socket = privateDir.resolve("save.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Files.deleteIfExists(socket);
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> copied = CompletableFuture.runAsync(() -> copy(server, out));
            if (quietPause) {
                run.expectPauseChange();
            }
            run.qmp().migrate("unix:" + socket);
            copied.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String status = waitWhile(run, "active", "setup", "device");
            if (!"completed".equals(status)) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "migration to file failed: status " + status);
            }
            out.force(true);
        } catch (ExecutionException | TimeoutException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "writing '" + file + "' failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while writing '" + file + "'");
        } finally {
            deleteQuietly(socket);
        }
    }

    private static void copy(ServerSocketChannel server, FileChannel out) {
        try (SocketChannel in = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static void restore(QemuRun run, Path file, long offset, Path privateDir) {
        Path socket = privateDir.resolve("restore.sock");
        run.qmp().migrateIncoming("unix:" + socket);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long position = offset;
            long size = in.size();
            while (position < size) {
                position += in.transferTo(position, size - position, out);
            }
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "restoring from '" + file + "' failed: " + e.getMessage());
        }
        String status = waitForStatusAfterIncoming(run);
        if (!"paused".equals(status) && !"prelaunch".equals(status)) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "restore from '" + file + "' ended in state " + status);
        }
    }

    private static String waitForStatusAfterIncoming(QemuRun run) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String status = run.qmp().queryStatus();
        while ("inmigrate".equals(status) && System.nanoTime() < deadline) {
            pause();
            status = run.qmp().queryStatus();
        }
        return status;
    }

    private static String waitWhile(QemuRun run, String... states) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String status = run.qmp().queryMigrateStatus();
        while (java.util.List.of(states).contains(status) && System.nanoTime() < deadline) {
            pause();
            status = run.qmp().queryMigrateStatus();
        }
        return status;
    }

    /** Migration has no completion event without extra capabilities; its status is short-polled. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // A stale socket file is replaced at the next save.
        }
    }
}
