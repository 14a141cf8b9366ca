package org.jvirtd.storage.util;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.Encryption;
import org.jvirtd.model.storage.Permissions;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolSource;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeStat;
import org.jvirtd.model.storage.VolumeXml;

/**
 * The volumes of a dir, fs or netfs pool: image files in its target directory, found by listing it and
 * made, copied, resized and removed with plain file I/O (raw) or qemu-img (every other format).
 */
public final class FileVolumes {
    private static final int DEFAULT_MODE = 0600;
    private static final String LUKS_BENCHMARK_FAILURE = "Unable to get accurate CPU usage";
    private static final int LUKS_BENCHMARK_ATTEMPTS = 3;
    private FileVolumes() {
    }

    /**
     * Lists the target directory: every regular file is a volume. A volume in {@code known} keeps the layout
     * (format, compat, cluster size, features) it has there, as libvirt keeps a volume's until the pool is
     * refreshed; the others' layouts are read from their image headers, and an encrypted one names the secret
     * the secret driver has for its path, as libvirt's refresh looks it up.
     */
    public static PoolContents refresh(PoolDef pool, List<VolumeInfo> known, Supplier<SecretValues> secrets) {
        PoolDirectory.requireDirectory(pool);
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(pool.targetPath()))) {
            files = list.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw StorageErrors.system("cannot open directory", pool.targetPath(), e);
        }
        List<Long> allocations = allocations(files);
        List<VolumeInfo> volumes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                Path file = files.get(i);
                VolumeDef.Target layout = known.stream().filter(v -> v.path().equals(file.toString())).findFirst()
                    .map(v -> sourceDefinition(v).target()).orElse(null);
                volumes.add(describe(file, allocations.get(i), layout, secrets));
            } catch (IOException gone) {
                // removed while we looked: not a volume any more
            }
        }
        return PoolDirectory.contents(pool, volumes);
    }

    /** A volume's sizes, owner and times as its file says now, its layout as known. */
    public static VolumeInfo reread(VolumeInfo volume) {
        Path file = Path.of(volume.path());
        try {
            return describe(file, allocations(List.of(file)).get(0), sourceDefinition(volume).target(), null);
        } catch (IOException e) {
            throw StorageErrors.system("cannot stat file", volume.path(), e);
        }
    }

    /** A volume's info and XML as its file says now. */
    public static VolumeInfo describe(Path file) throws IOException {
        return describe(file, allocations(List.of(file)).get(0), null, null);
    }

    /**
     * A volume's info and XML as libvirt shows it: sizes, owner and times from the file; its layout (format,
     * compat, cluster size, features) from {@code known} (what its definition or the last refresh gave), or
     * from the image header when null, with the secret {@code secrets} (may be null) has for the path.
     */
    private static VolumeInfo describe(Path file, long allocation, VolumeDef.Target known,
                                       Supplier<SecretValues> secrets) throws IOException {
        // stat before reading the header, as libvirt does: the times shown are the file's, not our read's
        Map<String, Object> stat = Files.readAttributes(file, "unix:mode,uid,gid,size,lastAccessTime,"
            + "lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        ImageProbe.Image image = ImageProbe.probe(file);
        if (known != null && known.encryption() != null && image.encryption() == null) {
            // the header is gone (a wipe): libvirt's re-read shows the file as it is now
            known = null;
        }
        long size = (Long) stat.get("size");
        long capacity = image.capacity() >= 0 ? image.capacity() : size;
        String path = file.toString();
        Permissions perms = new Permissions((Integer) stat.get("mode") & 07777, ((Number) stat.get("uid")).longValue(),
            ((Number) stat.get("gid")).longValue(), null);
        VolumeDef.BackingStore backing = image.backingPath() == null ? null
            : new VolumeDef.BackingStore(image.backingPath(), backingFormat(image.backingPath()), null);
        VolumeDef.Target layout = known == null
            ? new VolumeDef.Target(path, image.format(), perms, probedEncryption(image, path, secrets), image.compat(),
                image.clusterSize(), false, image.lazyRefcounts(), image.extendedL2(), image.features())
            : new VolumeDef.Target(path, known.format(), perms, known.encryption(), known.compat(),
                known.clusterSize(), false, known.lazyRefcounts(), known.extendedL2(), known.features());
        VolumeDef def = new VolumeDef("file", file.getFileName().toString(), path, capacity, allocation, layout,
            backing);
        VolumeStat times = new VolumeStat(size, ((FileTime) stat.get("lastAccessTime")).toInstant(),
            ((FileTime) stat.get("lastModifiedTime")).toInstant(), ((FileTime) stat.get("ctime")).toInstant());
        return new VolumeInfo(def.name(), path, path, StorageFlags.VOL_FILE, capacity, allocation,
            VolumeXml.format(def, times));
    }

    /** The {@code <encryption>} of a probed image: its format, and the secret whose usage is the volume's path. */
    private static Encryption probedEncryption(ImageProbe.Image image, String path, Supplier<SecretValues> secrets) {
        if (image.encryption() == null) {
            return null;
        }
        List<Encryption.Secret> named = new ArrayList<>();
        if (secrets != null) {
            try {
                secrets.get().byUsage(SecretUsageType.VOLUME, path)
                    .ifPresent(uuid -> named.add(new Encryption.Secret("passphrase", uuid.toString(), null)));
            } catch (VirtException noSecretDriver) {
                // without the secret driver the volume shows its format only
            }
        }
        return new Encryption(image.encryption(), null, named, null, null);
    }

    private static String backingFormat(String path) {
        try {
            return ImageProbe.probe(Path.of(path)).format();
        } catch (IOException e) {
            return "raw";
        }
    }

    /** Allocated bytes of each file (st_blocks), read with one stat call. */
    private static List<Long> allocations(List<Path> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of("stat", "-L", "-c", "%b %B"));
        files.forEach(f -> argv.add(f.toString()));
        String[] lines = HostCommand.run(argv).split("\n");
        List<Long> result = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            result.add(Long.parseLong(parts[0]) * Long.parseLong(parts[1]));
        }
        return result;
    }

    /**
     * Creates a volume in the pool's directory from its definition (path and key come from the pool); the
     * secret driver gives the passphrase of a LUKS-encrypted one.
     */
    public static VolumeInfo create(PoolDef pool, VolumeDef requested, int flags, Supplier<SecretValues> secrets) {
        VolumeDef vol = placed(pool, requested);
        Path path = Path.of(vol.target().path());
        if (vol.backingStore() != null) {
            requireBackingStore(vol.backingStore().path());
        }
        if ("raw".equals(vol.target().format()) && vol.backingStore() == null && vol.target().encryption() == null) {
            createRaw(path, vol.capacity(), vol.allocation());
        } else {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw StorageErrors.system("cannot create path", path.toString(),
                    new java.nio.file.FileAlreadyExistsException(path.toString()));
            }
            try (LuksPassphrases passphrases = passphrases(vol, null, secrets)) {
                runRemovingOnFailure(path, QemuImgArgv.build(vol, null, flags, passphrases), null, passphrases);
            }
        }
        return finish(path, vol);
    }

    /** The passphrases of a qemu-img run, when either volume is encrypted (null otherwise). */
    private static LuksPassphrases passphrases(VolumeDef vol, VolumeDef input, Supplier<SecretValues> secrets) {
        boolean encrypted = vol.target().encryption() != null || input != null && input.target().encryption() != null;
        return encrypted ? new LuksPassphrases(secrets.get()) : null;
    }

    /** Creates a volume holding a copy of {@code source} (raw to raw by plain copy, else qemu-img convert). */
    public static VolumeInfo copy(PoolDef pool, VolumeDef requested, VolumeInfo source, int flags,
                                  ProgressListener progress, Supplier<SecretValues> secrets) {
        VolumeDef input = sourceDefinition(source);
        VolumeDef vol = placed(pool, requested);
        if (vol.capacity() < input.capacity()) {
            vol = new VolumeDef(vol.type(), vol.name(), vol.key(), input.capacity(), vol.allocation(), vol.target(),
                vol.backingStore());
        }
        Path path = Path.of(vol.target().path());
        boolean encrypted = vol.target().encryption() != null || input.target().encryption() != null;
        if ("raw".equals(vol.target().format()) && "raw".equals(input.target().format()) && !encrypted) {
            createRaw(path, 0, 0);
            try {
                VolumeCopy.copy(Path.of(source.path()), path, vol.capacity(), progress);
            } catch (RuntimeException e) {
                removeQuietly(path);
                throw e;
            }
        } else {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw StorageErrors.system("cannot create path", path.toString(),
                    new java.nio.file.FileAlreadyExistsException(path.toString()));
            }
            try (LuksPassphrases passphrases = passphrases(vol, input, secrets)) {
                List<List<String>> commands = new ArrayList<>();
                for (List<String> argv : QemuImgArgv.build(vol, input, flags, passphrases)) {
                    List<String> withProgress = new ArrayList<>(argv);
                    if ("convert".equals(argv.get(1))) {
                        withProgress.add(2, "-p");
                    }
                    commands.add(withProgress);
                }
                runRemovingOnFailure(path, commands, progress, passphrases);
            }
        }
        return finish(path, vol);
    }

    /** libvirt opens a new volume's backing store before it runs qemu-img, and names it when it cannot. */
    private static void requireBackingStore(String backing) {
        try {
            Files.readAttributes(Path.of(backing), "size");
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.STORAGE, "inaccessible backing store volume "
                + backing + ": " + StorageErrors.reason(e), e);
        }
    }

    /** Removes a volume's file, overwriting it with zeros first when asked (VIR_STORAGE_VOL_DELETE_ZEROED). */
    public static void delete(VolumeInfo volume, int flags) {
        Path path = Path.of(volume.path());
        if ((flags & StorageFlags.DELETE_ZEROED) != 0) {
            VolumeWipe.wipe(volume, StorageFlags.WIPE_ZERO, null);
        }
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw StorageErrors.system("cannot unlink file", path.toString(), e);
        }
    }

    /** Sets a volume's capacity: truncate or extend a raw file, qemu-img resize any other format. */
    public static void resize(VolumeInfo volume, long capacity, int flags) {
        VolumeDef def = sourceDefinition(volume);
        Path path = Path.of(volume.path());
        boolean shrink = capacity < volume.capacity();
        if (!"raw".equals(def.target().format()) && !"iso".equals(def.target().format())) {
            HostCommand.run(QemuImgArgv.resize(volume.path(), def.target().format(), capacity, shrink));
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(capacity);
        } catch (IOException e) {
            throw StorageErrors.system("Failed to truncate file", path.toString(), e);
        }
        if ((flags & StorageFlags.RESIZE_ALLOCATE) != 0 && !shrink) {
            allocate(path, capacity);
        }
    }

    /** The volume as it will be: its path and key are the pool's target directory plus its name. */
    static VolumeDef placed(PoolDef pool, VolumeDef vol) {
        String path = Path.of(pool.targetPath(), vol.name()).toString();
        VolumeDef.Target t = vol.target();
        return new VolumeDef("file", vol.name(), path, vol.capacity(), vol.allocation(),
            new VolumeDef.Target(path, t.format() == null ? "raw" : t.format(), t.permissions(), t.encryption(),
                t.compat(), t.clusterSize(), t.nocow(), t.lazyRefcounts(), t.extendedL2(), t.features()),
            vol.backingStore());
    }

    /** Parses a volume's XML as any pool's volume: formats default to raw, as for a dir pool. */
    public static VolumeDef sourceDefinition(VolumeInfo volume) {
        PoolDef anyPool = new PoolDef(PoolType.DIR, "source", new UUID(0, 0), null,
            new PoolSource(List.of(), List.of(), null, null, null, null, null, null, null, null, null), "/", null,
            null, List.of(), List.of());
        VolumeDef def = VolumeXml.parse(anyPool, volume.xml(), VolumeXml.NO_CAPACITY);
        return new VolumeDef(def.type(), def.name(), def.key(), volume.capacity(), volume.allocation(),
            new VolumeDef.Target(volume.path(), def.target().format(), def.target().permissions(),
                def.target().encryption(), def.target().compat(), def.target().clusterSize(), def.target().nocow(),
                def.target().lazyRefcounts(), def.target().extendedL2(), def.target().features()),
            def.backingStore());
    }

    private static void createRaw(Path path, long capacity, long allocation) {
        try {
            Files.createFile(path);
        } catch (IOException e) {
            throw StorageErrors.system("cannot create path", path.toString(), e);
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(capacity);
        } catch (IOException e) {
            removeQuietly(path);
            throw StorageErrors.system("cannot create path", path.toString(), e);
        }
        if (allocation > 0) {
            try {
                allocate(path, Math.min(allocation, capacity));
            } catch (RuntimeException e) {
                removeQuietly(path);
                throw e;
            }
        }
    }

    /** Reserves the first {@code bytes} of a file on disk (posix_fallocate through fallocate(1)). */
    private static void allocate(Path path, long bytes) {
        HostCommand.run(List.of("fallocate", "-l", Long.toString(bytes), path.toString()));
    }

    private static void runRemovingOnFailure(Path path, List<List<String>> commands, ProgressListener progress,
                                             LuksPassphrases passphrases) {
        for (int attempt = 1; ; attempt++) {
            try {
                runCommands(commands, progress, passphrases);
                return;
            } catch (RuntimeException e) {
                removeQuietly(path);
                if (attempt == LUKS_BENCHMARK_ATTEMPTS || !isLuksBenchmarkFailure(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * QEMU times its LUKS key-derivation benchmark in thread CPU time and gives up when a round measures as zero
     * milliseconds (a fast host, a coarse clock): a passing failure of the measurement, not of the volume, so
     * the whole creation is run again.
     */
    private static boolean isLuksBenchmarkFailure(RuntimeException e) {
        return e.getMessage() != null && e.getMessage().contains(LUKS_BENCHMARK_FAILURE);
    }

    private static void runCommands(List<List<String>> commands, ProgressListener progress,
                                    LuksPassphrases passphrases) {
        for (List<String> argv : commands) {
            byte[] key = passphrases == null ? null : passphrases.standardInput();
            try {
                HostCommand.run(argv, progress == null ? null : line -> QemuImgProgress.report(line, progress), key);
            } finally {
                if (key != null) {
                    java.util.Arrays.fill(key, (byte) 0);
                }
            }
        }
    }

    private static VolumeInfo finish(Path path, VolumeDef vol) {
        try {
            Permissions p = vol.target().permissions();
            // libvirt's mode for a new volume that names none
            Files.setPosixFilePermissions(path, PoolDirectory.permissions(p != null && p.mode() >= 0 ? p.mode()
                : DEFAULT_MODE));
            if (p != null) {
                chown(path, p.owner(), p.group());
            }
            return describe(path, allocations(List.of(path)).get(0), vol.target(), null);
        } catch (IOException e) {
            removeQuietly(path);
            throw StorageErrors.system("cannot set up volume", path.toString(), e);
        }
    }

    static void chown(Path path, long owner, long group) throws IOException {
        if (owner >= 0) {
            Files.setAttribute(path, "unix:uid", (int) owner);
        }
        if (group >= 0) {
            Files.setAttribute(path, "unix:gid", (int) group);
        }
    }

    private static void removeQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the original error is the one to report
        }
    }
}
