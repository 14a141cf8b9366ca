package org.jvirtd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Felix's bundle cache of one daemon instance, kept with the instance's state and never in the
 * installation: {@code /var/cache/jvirtd/felix-cache} for the system daemon ({@code DIR/var/cache/...}
 * under {@code --root DIR}), {@code $XDG_CACHE_HOME/jvirtd/felix-cache} for a session daemon (the
 * rules of core's DaemonPaths).
 *
 * <p>The cache is reused across restarts (installing every bundle again costs start time), but only
 * for the installation that filled it: a stamp beside it holds a digest of the installation's path and
 * of the content of everything the cache derives from (the framework, bundle/, shell/ and the Felix
 * settings). When the digest differs (an upgrade, another installation run with the same state) the
 * cache is cleared before Felix starts, so no stale bundle runs. The stamp is removed before clearing
 * and written only once the framework is initialised, so a start interrupted in between clears again.
 * A lock file held while the daemon runs keeps two daemons off one cache: a second daemon of the same
 * instance (which then refuses on the sockets, as libvirtd) gets a private cache beside it, removed
 * when it exits, and never touches the running daemon's.
 */
final class BundleCache implements AutoCloseable {
    private static final List<String> INSTALLATION_PARTS = List.of("bin/felix.jar", "bundle", "shell",
        "conf/config.properties");

    private final Path dir;
    private final Path stamp;
    private final String digest;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private BundleCache(Path dir, String digest, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.stamp = dir.resolveSibling(dir.getFileName() + ".stamp");
        this.digest = digest;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The cache folder of the instance: {@code root} set gives the prefixed system layout. */
    static Path location(String root, boolean privileged, Map<String, String> env, String userHome) {
        if (root != null && !root.isEmpty()) {
            return Path.of(root).toAbsolutePath().resolve("var/cache/jvirtd/felix-cache");
        }
        if (privileged) {
            return Path.of("/var/cache/jvirtd/felix-cache");
        }
        String cache = env.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(userHome, ".cache");
        return base.resolve("jvirtd/felix-cache");
    }

    /** Locks the cache at {@code dir} for this daemon and digests the installation at {@code home}. */
    static BundleCache open(Path dir, Path home) throws IOException {
        Files.createDirectories(dir.getParent());
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            Path own = dir.resolveSibling(dir.getFileName() + "." + ProcessHandle.current().pid());
            System.err.println("jvirtd: bundle cache " + dir + " is in use by another daemon; using " + own);
            return new BundleCache(own, digest(home), null, null);
        }
        return new BundleCache(dir, digest(home), channel, lock);
    }

    Path dir() {
        return dir;
    }

    /** Whether the cache was filled by this very installation, so Felix may start from it. */
    boolean current() throws IOException {
        return Files.isDirectory(dir) && Files.isRegularFile(stamp)
            && Files.readString(stamp, StandardCharsets.UTF_8).strip().equals(digest);
    }

    /** Forgets the stamp: called before Felix clears the cache. */
    void invalidate() throws IOException {
        Files.deleteIfExists(stamp);
    }

    /** Records that the cache now holds this installation's bundles. */
    void seal() throws IOException {
        Files.writeString(stamp, digest + "\n", StandardCharsets.UTF_8);
    }

    static String digest(Path home) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[64 * 1024];
        for (Path file : installationFiles(home)) {
            sha.update((byte) 0);
            sha.update(home.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static List<Path> installationFiles(Path home) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String part : INSTALLATION_PARTS) {
            Path path = home.resolve(part);
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            }
        }
        return files;
    }

    /** Whether this is a private cache because another daemon holds the instance's one. */
    boolean throwaway() {
        return lock == null;
    }

    @Override
    public void close() {
        try {
            if (throwaway()) {
                deleteTree(dir);
                Files.deleteIfExists(stamp);
                return;
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            System.err.println("jvirtd: cannot release the bundle cache lock: " + e.getMessage());
        }
    }
}
