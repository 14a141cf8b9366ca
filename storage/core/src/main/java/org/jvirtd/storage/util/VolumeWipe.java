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
        if (algorithm == StorageFlags.WIPE_ZERO) {
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
