package org.jvirtd.driver.qemu.internal.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/**
 * The save image layout, libvirt's: a 92-byte header (magic "LibvirtQemudSave", version 2, XML length,
 * was-running, compression 0, unused words), the NUL-terminated domain XML, then QEMU's migration stream.
 */
public final class SaveImage {
    static final String MAGIC = "LibvirtQemudSave";
    private static final int HEADER = 16 + 4 * 19;
    private static final int PAD = 1024;
    private static final int PAGE = 4096;
    /** Where the was-running word sits in the header. */
    private static final int RUNNING_AT = 24;

    /** What a save image holds before the migration stream. */
    public record Header(String xml, boolean wasRunning, long streamOffset) {
    }

    private SaveImage() {
    }

    /**
     * Writes the header and XML into a new file; returns the channel positioned at the stream's start. As
     * libvirt does, the XML area is NUL-padded by at least 1 KiB up to a 4 KiB boundary, so that an edited
     * definition (save-image-define) still fits.
     */
    public static FileChannel create(Path file, String xml, boolean wasRunning) throws IOException {
        byte[] text = (xml + "\0").getBytes(StandardCharsets.UTF_8);
        int area = (int) ((HEADER + text.length + PAD + PAGE - 1) / PAGE * PAGE) - HEADER;
        byte[] xmlBytes = java.util.Arrays.copyOf(text, area);
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.nativeOrder());
        head.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(xmlBytes.length)
            .putInt(wasRunning ? 1 : 0).putInt(0);
        head.position(HEADER).flip();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        channel.write(head);
        channel.write(ByteBuffer.wrap(xmlBytes));
        return channel;
    }

    public static Header read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.nativeOrder());
            channel.read(head, 0);
            head.flip();
            byte[] magic = new byte[16];
            if (head.remaining() < HEADER) {
                throw notASaveImage(file);
            }
            head.get(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII)) || head.getInt() != 2) {
                throw notASaveImage(file);
            }
            int xmlLength = head.getInt();
            boolean running = head.getInt() != 0;
            ByteBuffer xml = ByteBuffer.allocate(xmlLength);
            channel.read(xml, HEADER);
            String text = new String(xml.array(), StandardCharsets.UTF_8);
            int nul = text.indexOf('\0');
            return new Header(nul < 0 ? text : text.substring(0, nul), running, HEADER + (long) xmlLength);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot read domain image '" + file + "': " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the definition in an image (virDomainSaveImageDefineXML) and, when {@code running} is not null,
     * the state the guest resumes in; the new XML must fit the old one's area.
     */
    public static void rewrite(Path file, String xml, Boolean running) {
        Header old = read(file);
        int area = (int) (old.streamOffset() - HEADER);
        byte[] text = (xml + "\0").getBytes(StandardCharsets.UTF_8);
        if (text.length > area) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "new xml too large to fit in file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(java.util.Arrays.copyOf(text, area)), HEADER);
            if (running != null) {
                ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(running ? 1 : 0);
                channel.write(word.flip(), RUNNING_AT);
            }
            channel.force(true);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot write domain image '" + file + "': " + e.getMessage(),
                e);
        }
    }

    private static RuntimeException notASaveImage(Path file) {
        return VirtErrors.operationFailed(ErrorDomain.QEMU, "image magic is incorrect in '" + file + "'");
    }
}
