package org.jvirtd.driver.qemu.internal.caps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Probes each QEMU binary once and keeps the result, in memory and as a qemuCaps document on disk, keyed
 * by the binary's path and modification time and the probe's version: a replaced binary, or a binary probed
 * by an older probe, is probed again.
 */
public final class QemuCapsCache {
    private record Entry(long mtime, QemuCaps caps) {
    }

    /** Changes whenever the probe learns more: a cache file of an older probe is not read. */
    static final String PROBE_VERSION = "p9";

    private final Path dir;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public QemuCapsCache(Path dir) {
        this.dir = dir;
    }

    /** The folder of the cache documents. */
    public Path dir() {
        return dir;
    }

    public QemuCaps get(String binary) {
        Path path = Path.of(binary);
        long mtime;
        try {
            mtime = Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage();
            throw VirtErrors.system(ErrorDomain.QEMU, "Cannot check QEMU binary " + binary + ": " + reason, e);
        }
        Entry entry = entries.get(binary);
        if (entry != null && entry.mtime() == mtime) {
            return entry.caps();
        }
        synchronized (this) {
            entry = entries.get(binary);
            if (entry == null || entry.mtime() != mtime) {
                entry = new Entry(mtime, loadOrProbe(path, mtime));
                entries.put(binary, entry);
            }
            return entry.caps();
        }
    }

    private QemuCaps loadOrProbe(Path binary, long mtime) {
        Path file = dir.resolve(binary.toString().replace('/', '_') + "-" + mtime + "-" + PROBE_VERSION + ".xml");
        String arch = binary.getFileName().toString().replace("qemu-system-", "");
        try {
            if (Files.exists(file)) {
                return QemuCapsXml.parse(Files.readString(file, StandardCharsets.UTF_8), arch);
            }
            QemuCaps caps = QemuCapsProbe.probe(binary, dir);
            AtomicFiles.write(file, QemuCapsXml.format(caps));
            return caps;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot use capabilities cache '" + file + "': " + e.getMessage(), e);
        }
    }
}
