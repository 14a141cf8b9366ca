package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * virDomainBlockPeek and virDomainMemoryPeek as libvirt's QEMU driver answers them: bytes of a raw disk's
 * file read on the host, and guest memory that QEMU writes to a private temporary file (memsave for virtual
 * addresses, pmemsave for physical ones) for the driver to read back.
 */
public final class GuestPeek {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GuestPeek() {
    }

    /** {@code size} bytes of the disk named by target or source path, from {@code offset}. */
    public static byte[] block(GuestDef def, String path, long offset, int size) {
        GuestDef.Disk disk = def.devices().disks().stream()
            .filter(d -> path.equals(d.target()) || path.equals(d.source())).findFirst()
            .orElseThrow(() -> VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + path + "' not found in domain"));
        String format = disk.format() == null ? "raw" : disk.format();
        if (!"raw".equals(format)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                "peeking is only supported for disk with 'raw' format not '" + format + "'");
        }
        if (disk.source() == null || !"file".equals(disk.type()) && !"block".equals(disk.type())) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "storage file reading is not supported for storage type "
                + disk.type());
        }
        if (size == 0) {
            // libvirt reads nothing and takes that for an unreadable header
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.STORAGE, "cannot read header '"
                + disk.source() + "': Invalid argument");
        }
        byte[] buffer = new byte[size];
        int read = 0;
        try (RandomAccessFile file = new RandomAccessFile(disk.source(), "r")) {
            if (offset < file.length()) {
                file.seek(offset);
                int n;
                while (read < size && (n = file.read(buffer, read, size - read)) > 0) {
                    read += n;
                }
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.STORAGE, "cannot read header '" + disk.source() + "'", e);
        }
        if (read < size) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "'" + path + "' starting from "
                + Long.toUnsignedString(offset) + " has only " + read + " bytes available");
        }
        return buffer;
    }

    /** {@code size} bytes of guest memory from {@code offset}, a physical address or a virtual one of vCPU 0. */
    public static byte[] memory(QemuRun run, Path privateDir, long offset, int size, boolean physical) {
        Path file = null;
        try {
            file = Files.createTempFile(privateDir, "qemu.mem.", "");
            Props args = Props.of("val", offset).put("size", size).put("filename", file.toString());
            run.qmp().execute(physical ? "pmemsave" : "memsave", args, TIMEOUT);
            byte[] saved = Files.readAllBytes(file);
            byte[] buffer = new byte[size];
            System.arraycopy(saved, 0, buffer, 0, Math.min(size, saved.length));
            return buffer;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "failed to read temporary file created with template "
                + privateDir.resolve("qemu.mem.XXXXXX"), e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
