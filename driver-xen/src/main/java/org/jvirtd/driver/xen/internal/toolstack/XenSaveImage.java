package org.jvirtd.driver.xen.internal.toolstack;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * A save image as libvirt's libxl driver lays it out: a header (the magic "libvirt-xml\n \0 \r", version 2, the
 * length of the XML including its NUL, ten unused words; little-endian on x86), the domain XML, then the guest
 * state. Here the guest state is the file {@code xl save} wrote, so {@code xl restore} gets it back unchanged.
 */
public final class XenSaveImage {
    static final byte[] MAGIC = "libvirt-xml\n \0 \r".getBytes(StandardCharsets.ISO_8859_1);
    static final int VERSION = 2;
    private static final int HEADER = MAGIC.length + 4 * 12;

    private XenSaveImage() {
    }

    /** Writes {@code image}: the header, {@code xml} and the bytes of {@code xlSave}. */
    public static void write(Path image, String xml, Path xlSave) {
        byte[] text = (xml + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(text.length);
        Path partial = image.resolveSibling(image.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            out.write(header.array());
            out.write(text);
            Files.copy(xlSave, out);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "Failed to write save file '" + image + "': " + e.getMessage());
        }
        try {
            Files.move(partial, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "Failed to write save file '" + image + "': " + e.getMessage());
        }
    }

    /** The domain XML the image holds. */
    public static String xml(Path image) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(image))) {
            return new String(readXml(in, image), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "cannot read domain image '" + image + "': " + e.getMessage());
        }
    }

    /** Copies the guest state (what {@code xl save} wrote) out of the image into {@code xlSave}. */
    public static void extractGuestState(Path image, Path xlSave) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(image))) {
            readXml(in, image);
            Files.copy(in, xlSave, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "cannot read domain image '" + image + "': " + e.getMessage());
        }
    }

    private static byte[] readXml(InputStream in, Path image) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < HEADER || !Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "image magic is incorrect");
        }
        ByteBuffer fields = ByteBuffer.wrap(header, MAGIC.length, 8).order(ByteOrder.LITTLE_ENDIAN);
        int version = fields.getInt();
        int length = fields.getInt();
        if (version != VERSION) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.LIBXL,
                "image version is not supported (" + version + " > " + VERSION + ")");
        }
        if (length <= 0 || length > 10 * 1024 * 1024) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.LIBXL,
                "invalid XML length: " + length + " in '" + image + "'");
        }
        byte[] xml = in.readNBytes(length);
        if (xml.length != length) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.LIBXL, "failed to read XML");
        }
        return Arrays.copyOf(xml, xml[length - 1] == 0 ? length - 1 : length);
    }
}
