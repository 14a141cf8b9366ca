package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirtd.api.storage.ProgressListener;

/**
 * Copies a raw volume's bytes into another, leaving holes where the source reads as zeros, and reports
 * progress as it goes.
 */
final class VolumeCopy {
    private static final int CHUNK = 1 << 20;

    private VolumeCopy() {
    }

    static void copy(Path source, Path target, long capacity, ProgressListener progress) {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            long total = in.size();
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
            long position = 0;
            while (position < total) {
                buffer.clear();
                int read = in.read(buffer, position);
                if (read <= 0) {
                    break;
                }
                buffer.flip();
                if (!allZero(buffer)) {
                    while (buffer.hasRemaining()) {
                        out.write(buffer, position + buffer.position());
                    }
                }
                position += read;
                if (progress != null) {
                    progress.progress(position, total);
                }
            }
            out.truncate(Math.max(capacity, total));
            if (out.size() < Math.max(capacity, total)) {
                out.write(ByteBuffer.allocate(1), Math.max(capacity, total) - 1);
            }
            out.force(true);
        } catch (IOException e) {
            throw StorageErrors.system("failed to copy volume to", target.toString(), e);
        }
    }

    private static boolean allZero(ByteBuffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
