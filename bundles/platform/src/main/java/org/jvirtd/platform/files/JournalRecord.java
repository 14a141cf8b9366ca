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
 * a header at offset 0 ({@code "JVJ2" epoch:i64 start:i32 crc:i32}), then, from {@code start} (4096, or
 * the middle of the rest: epochs take turns in the two halves), records {@code "JVR1" epoch:i64 op:u8 pathLength:u16 path dataLength:i32 data crc:i32}, each
 * CRC-32C covering everything before it. Reading stops at the first record that is torn, corrupt or of
 * another epoch.
 */
record JournalRecord(long epoch, byte op, byte[] path, byte[] data) {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte LINK = 3;
    private static final int HEADER_MAGIC = 0x4A564A32;
    private static final int RECORD_MAGIC = 0x4A565231;
    private static final int FIXED = 4 + 8 + 1 + 2 + 4 + 4;
    private static final int MAX_PATH = 4096;

    /** Where the records of one epoch begin. */
    record Header(long epoch, int start) {
    }

    static ByteBuffer header(long epoch, int start) {
        ByteBuffer buffer = ByteBuffer.allocate(20);
        buffer.putInt(HEADER_MAGIC).putLong(epoch).putInt(start);
        buffer.putInt(crc(buffer.array(), 0, 16));
        return buffer.flip();
    }

    /** The header, or epoch 0 from {@code firstRecord} when it is missing or damaged. */
    static Header readHeader(FileChannel journal, int firstRecord) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(20);
        readFully(journal, buffer, 0);
        int start = buffer.getInt(12);
        if (buffer.hasRemaining() || buffer.getInt(0) != HEADER_MAGIC || buffer.getInt(16) != crc(buffer.array(), 0, 16)
            || start < firstRecord || start > journal.size()) {
            return new Header(0, firstRecord);
        }
        return new Header(buffer.getLong(4), start);
    }

    /**
     * The valid records the header points to: those of its epoch, or with a damaged header those of the
     * first record's epoch (a checkpoint had synced them all, so replaying them again is harmless).
     */
    static List<JournalRecord> readAll(FileChannel journal, Header header) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        long limit = journal.size();
        long expected = header.epoch();
        long at = header.start();
        while (true) {
            JournalRecord record = next(journal, at, limit);
            if (record == null || expected != 0 && record.epoch() != expected) {
                return records;
            }
            expected = record.epoch();
            records.add(record);
            at += record.size();
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
        byte[] path = new byte[pathLength];
        whole.get(15, path);
        byte[] data = new byte[dataLength];
        whole.get(19 + pathLength, data);
        return new JournalRecord(head.getLong(4), op, path, data);
    }

    /** Bytes this record takes in the journal. */
    int size() {
        return FIXED + path.length + data.length;
    }

    /**
     * The record's path, relative and without {@code ..}; null when it cannot name a file under the
     * journal's directory here (a record is never torn once its CRC matched: such a path is skipped alone).
     */
    Path relativePath() {
        String text = new String(path, StandardCharsets.UTF_8);
        return isPlainRelative(text) ? Path.of(text) : null;
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
