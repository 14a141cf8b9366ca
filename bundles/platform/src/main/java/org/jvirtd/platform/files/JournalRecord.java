package org.jvirtd.platform.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One change in a {@link JournaledDirectory}'s journal, and the journal's on-disk layout (big-endian):
 * a header at offset 0 ({@code "JVJ1" epoch:i64 crc:i32}), then records from offset 4096, each
 * {@code "JVR1" epoch:i64 op:u8 pathLength:u16 path dataLength:i32 data crc:i32}, the CRC-32C covering
 * everything before it. Reading stops at the first record that is torn, corrupt or of another epoch.
 */
record JournalRecord(long epoch, byte op, String path, byte[] data) {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte LINK = 3;
    private static final int HEADER_MAGIC = 0x4A564A31;
    private static final int RECORD_MAGIC = 0x4A565231;
    private static final int FIXED = 4 + 8 + 1 + 2 + 4 + 4;
    private static final int MAX_PATH = 4096;

    static ByteBuffer header(long epoch) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putInt(HEADER_MAGIC).putLong(epoch);
        buffer.putInt(crc(buffer.array(), 0, 12));
        return buffer.flip();
    }

    /** The epoch the header names, or 0 when the header is missing or damaged. */
    static long readHeaderEpoch(FileChannel journal) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        readFully(journal, buffer, 0);
        if (buffer.hasRemaining() || buffer.getInt(0) != HEADER_MAGIC
            || buffer.getInt(12) != crc(buffer.array(), 0, 12)) {
            return 0;
        }
        return buffer.getLong(4);
    }

    /**
     * The valid records from {@code start}: those of the header's epoch, or with a damaged header those of
     * the first record's epoch (a checkpoint had synced them all, so replaying them again is harmless).
     */
    static List<JournalRecord> readAll(FileChannel journal, int start, int capacity) throws IOException {
        long headerEpoch = readHeaderEpoch(journal);
        List<JournalRecord> records = new ArrayList<>();
        long limit = Math.min(capacity, journal.size());
        long expected = headerEpoch;
        long at = start;
        while (true) {
            JournalRecord record = next(journal, at, limit);
            if (record == null || expected != 0 && record.epoch() != expected) {
                return records;
            }
            expected = record.epoch();
            records.add(record);
            at += FIXED + record.path().getBytes(StandardCharsets.UTF_8).length + record.data().length;
        }
    }

    /** The record at {@code at}, read a piece at a time (a clean journal is mostly zeros: no 4 MiB buffer). */
    private static JournalRecord next(FileChannel journal, long at, long limit) throws IOException {
        if (limit - at < FIXED) {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(15);
        readFully(journal, head, at);
        if (head.hasRemaining() || head.getInt(0) != RECORD_MAGIC) {
            return null;
        }
        byte op = head.get(12);
        int pathLength = Short.toUnsignedInt(head.getShort(13));
        if (op < PUT || op > LINK || pathLength == 0 || pathLength > MAX_PATH || limit - at < FIXED + pathLength) {
            return null;
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(journal, length, at + 15 + pathLength);
        int dataLength = length.getInt(0);
        if (length.hasRemaining() || dataLength < 0 || limit - at - FIXED - pathLength < dataLength) {
            return null;
        }
        ByteBuffer whole = ByteBuffer.allocate(FIXED + pathLength + dataLength);
        readFully(journal, whole, at);
        int crcAt = whole.capacity() - 4;
        if (whole.hasRemaining() || whole.getInt(crcAt) != crc(whole.array(), 0, crcAt)) {
            return null;
        }
        String path = new String(whole.array(), 15, pathLength, StandardCharsets.UTF_8);
        if (path.getBytes(StandardCharsets.UTF_8).length != pathLength || !isPlainRelative(path)) {
            return null;
        }
        byte[] data = new byte[dataLength];
        whole.get(19 + pathLength, data);
        return new JournalRecord(head.getLong(4), op, path, data);
    }

    private static boolean isPlainRelative(String path) {
        try {
            Path parsed = Path.of(path);
            return !parsed.isAbsolute() && parsed.normalize().equals(parsed) && !parsed.startsWith("..");
        } catch (InvalidPathException e) {
            return false;
        }
    }

    static byte[] encode(long epoch, byte op, String path, byte[] data) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > MAX_PATH) {
            throw new IllegalArgumentException("journal path length " + name.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(FIXED + name.length + data.length);
        buffer.putInt(RECORD_MAGIC).putLong(epoch).put(op).putShort((short) name.length).put(name)
            .putInt(data.length).put(data);
        buffer.putInt(crc(buffer.array(), 0, buffer.position()));
        return buffer.array();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                return;
            }
            at += read;
        }
    }
}
