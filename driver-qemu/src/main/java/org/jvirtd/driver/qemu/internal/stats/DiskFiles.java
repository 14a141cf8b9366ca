package org.jvirtd.driver.qemu.internal.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.BlockInfo;

/**
 * The sizes of a disk image that no QEMU has open, read as libvirt reads them: the capacity from a qcow2
 * header (the file's size for raw), the allocation from the blocks the file occupies, the physical size
 * from the file's length.
 */
public final class DiskFiles {
    /** "QFI\xfb", then the virtual size as a big-endian 64-bit number at offset 24. */
    private static final int QCOW_MAGIC = 0x514649fb;

    private DiskFiles() {
    }

    public static BlockInfo info(Path file, String format) {
        try {
            long physical = Files.size(file);
            long allocation = allocatedBytes(file);
            long capacity = "qcow2".equals(format) ? qcowCapacity(file) : physical;
            return new BlockInfo(capacity, allocation, physical);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot stat file '" + file + "'", e);
        }
    }

    /** st_blocks times the block size: the JDK does not read them, stat(1) does (as the storage driver asks it). */
    private static long allocatedBytes(Path file) throws IOException {
        Process stat = new ProcessBuilder("stat", "-L", "-c", "%b %B", file.toString()).redirectErrorStream(true)
            .start();
        String out = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (stat.waitFor() != 0) {
                throw new IOException(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the size of " + file);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    private static long qcowCapacity(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(32);
            while (header.hasRemaining() && channel.read(header) > 0) {
                // a header shorter than 32 bytes is no qcow2 image
            }
            if (header.position() < 32 || header.getInt(0) != QCOW_MAGIC) {
                throw VirtErrors.internal(ErrorDomain.QEMU, file + " is not a qcow2 image");
            }
            return header.getLong(24);
        }
    }
}
