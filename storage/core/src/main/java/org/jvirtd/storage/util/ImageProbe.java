package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an image file's header to learn its format, virtual size and backing file, as libvirt's
 * virStorageFileProbe does: qcow2 by its magic, ISO 9660 by its volume descriptor, raw otherwise.
 */
public final class ImageProbe {
    private static final int QCOW2_MAGIC = 0x514649fb;
    private static final long ISO_DESCRIPTOR = 32769;

    private ImageProbe() {
    }

    /** What the header says; capacity is the virtual size, -1 for raw (the file size is the capacity). */
    public record Image(String format, long capacity, String backingPath, String compat, boolean lazyRefcounts) {
    }

    public static Image probe(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(104);
            channel.read(header, 0);
            header.flip();
            if (header.remaining() >= 32 && header.getInt(0) == QCOW2_MAGIC) {
                return qcow2(channel, header);
            }
            ByteBuffer iso = ByteBuffer.allocate(5);
            channel.read(iso, ISO_DESCRIPTOR);
            if ("CD001".equals(new String(iso.array(), StandardCharsets.US_ASCII))) {
                return new Image("iso", -1, null, null, false);
            }
            return new Image("raw", -1, null, null, false);
        }
    }

    private static Image qcow2(FileChannel channel, ByteBuffer header) throws IOException {
        int version = header.getInt(4);
        long backingOffset = header.getLong(8);
        int backingSize = header.getInt(16);
        long size = header.getLong(24);
        String backing = null;
        if (backingOffset > 0 && backingSize > 0 && backingSize <= 1023) {
            ByteBuffer name = ByteBuffer.allocate(backingSize);
            channel.read(name, backingOffset);
            backing = new String(name.array(), 0, name.position(), StandardCharsets.UTF_8);
        }
        boolean lazy = version >= 3 && header.limit() >= 88 && (header.getLong(80) & 1) != 0;
        return new Image("qcow2", size, backing, version >= 3 ? "1.1" : "0.10", lazy);
    }
}
