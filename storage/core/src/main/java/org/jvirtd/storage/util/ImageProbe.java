package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an image file's header to learn its format, virtual size and backing file, as libvirt's
 * virStorageFileProbe does: qcow2 by its magic, a LUKS container by its magic (libvirt shows it as a raw
 * volume with LUKS encryption, its capacity the payload after the header), ISO 9660 by its volume descriptor,
 * raw otherwise.
 */
public final class ImageProbe {
    private static final int QCOW2_MAGIC = 0x514649fb;
    private static final long ISO_DESCRIPTOR = 32769;
    private static final byte[] LUKS_MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    private static final int LUKS_PAYLOAD_OFFSET = 104;
    private static final int QCOW2_CRYPT_METHOD = 32;

    private ImageProbe() {
    }

    /**
     * What the header says; capacity is the virtual size, -1 for raw (the file size is the capacity). A qcow2
     * v3 header ("1.1") has features (maybe none), a v2 header neither compat nor features, as libvirt reads them.
     * {@code encryption} is the {@code <encryption format>} the header tells ("luks", "qcow"), null when clear.
     */
    public record Image(String format, long capacity, String backingPath, String compat, Long clusterSize,
                        boolean features, boolean lazyRefcounts, boolean extendedL2, String encryption) {
    }

    public static Image probe(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(108);
            channel.read(header, 0);
            header.flip();
            if (header.remaining() >= 36 && header.getInt(0) == QCOW2_MAGIC) {
                return qcow2(channel, header);
            }
            if (header.remaining() >= LUKS_PAYLOAD_OFFSET + 4 && isLuks(header)) {
                // the payload offset is in 512-byte sectors
                long payload = Integer.toUnsignedLong(header.getInt(LUKS_PAYLOAD_OFFSET)) * 512;
                return new Image("raw", Math.max(0, channel.size() - payload), null, null, null, false, false, false,
                    "luks");
            }
            ByteBuffer iso = ByteBuffer.allocate(5);
            channel.read(iso, ISO_DESCRIPTOR);
            if ("CD001".equals(new String(iso.array(), StandardCharsets.US_ASCII))) {
                return new Image("iso", -1, null, null, null, false, false, false, null);
            }
            return new Image("raw", -1, null, null, null, false, false, false, null);
        }
    }

    private static boolean isLuks(ByteBuffer header) {
        for (int i = 0; i < LUKS_MAGIC.length; i++) {
            if (header.get(i) != LUKS_MAGIC[i]) {
                return false;
            }
        }
        return header.getShort(LUKS_MAGIC.length) == 1;
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
        int clusterBits = header.getInt(20);
        Long clusterSize = clusterBits > 0 && clusterBits < 31 ? 1L << clusterBits : null;
        boolean v3 = version >= 3 && header.limit() >= 88;
        // incompatible feature bit 4: extended L2 entries; compatible feature bit 0: lazy refcounts
        boolean extendedL2 = v3 && (header.getLong(72) & (1 << 4)) != 0;
        boolean lazy = v3 && (header.getLong(80) & 1) != 0;
        int crypt = header.getInt(QCOW2_CRYPT_METHOD);
        String encryption = crypt == 1 ? "qcow" : crypt == 2 ? "luks" : null;
        return new Image("qcow2", size, backing, v3 ? "1.1" : null, clusterSize, v3, lazy, extendedL2, encryption);
    }
}
