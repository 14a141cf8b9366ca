package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;

/**
 * Overwrites a file or block volume: zeros written by jvirtd, the other patterns by scrub(1), as libvirt does.
 */
public final class VolumeWipe {
    private static final int CHUNK = 1 << 20;
    private static final List<String> SCRUB_PATTERNS = List.of("zero", "nnsa", "dod", "bsi", "gutmann", "schneier",
        "pfitzner7", "pfitzner33", "random");

    private VolumeWipe() {
    }

    public static void wipe(VolumeInfo volume, int algorithm, ProgressListener progress) {
        if (algorithm == StorageFlags.WIPE_ZERO && isSparseFile(volume)) {
            punch(Path.of(volume.path()), progress);
        } else if (algorithm == StorageFlags.WIPE_ZERO) {
            zero(Path.of(volume.path()), progress);
        } else if (algorithm > StorageFlags.WIPE_ZERO && algorithm < SCRUB_PATTERNS.size()) {
            if (!HostCommand.available("scrub")) {
                throw StorageErrors.unsupported("wiping with pattern '" + SCRUB_PATTERNS.get(algorithm)
                    + "' needs scrub, which is not installed");
            }
            HostCommand.run(List.of("scrub", "-f", "-p", SCRUB_PATTERNS.get(algorithm), volume.path()));
        } else if (algorithm == StorageFlags.WIPE_TRIM) {
            throw StorageErrors.unsupported("'trim' algorithm not supported");
        } else {
            throw StorageErrors.invalidArg("unsupported algorithm " + algorithm);
        }
    }

    /** A regular file with fewer bytes allocated than its size, which libvirt zeroes by truncating. */
    private static boolean isSparseFile(VolumeInfo volume) {
        Path path = Path.of(volume.path());
        return java.nio.file.Files.isRegularFile(path) && volume.allocation() < sizeOf(path);
    }

    private static long sizeOf(Path path) {
        try {
            return java.nio.file.Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Zeroes a sparse file as libvirt does: truncated to nothing and back to its size, all of it a hole. */
    private static void punch(Path path, ProgressListener progress) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
            long size = file.length();
            file.setLength(0);
            file.setLength(size);
            file.getFD().sync();
            if (progress != null) {
                progress.progress(size, size);
            }
        } catch (IOException e) {
            throw StorageErrors.system("Failed to wipe vol", path.toString(), e);
        }
    }

    private static void zero(Path path, ProgressListener progress) {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE)) {
            long total = out.size();
            ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
            long position = 0;
            while (position < total) {
                zeros.clear().limit((int) Math.min(CHUNK, total - position));
                while (zeros.hasRemaining()) {
                    position += out.write(zeros, position);
                }
                if (progress != null) {
                    progress.progress(position, total);
                }
            }
            out.force(true);
        } catch (IOException e) {
            throw StorageErrors.system("Failed to wipe vol", path.toString(), e);
        }
    }
}
