package org.jvirtd.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The seeds of a fuzz target, read at run time from the conformance data and protocol vectors in
 * ../shared (the build passes its path as {@code jvirtd.shared.dir}), or made by our own code; nothing is
 * copied into the repository. {@link #plant} writes them into the corpus folder Jazzer reads when it fuzzes
 * ({@code jazzer.internal.basedir}/.cifuzz-corpus/CLASS/METHOD, under target/).
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static Path shared() {
        String dir = System.getProperty("jvirtd.shared.dir");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property jvirtd.shared.dir does not name ../shared: " + dir);
        }
        return Path.of(dir);
    }

    /** The bytes of every file under {@code shared/relativeDir} whose name ends with {@code suffix}. */
    public static List<byte[]> sharedFiles(String relativeDir, String suffix) {
        try (Stream<Path> files = Files.walk(shared().resolve(relativeDir))) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
            if (seeds.isEmpty()) {
                throw new IllegalStateException("no *" + suffix + " seeds under " + relativeDir);
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client-to-server packets of every protocol vector (length word included). */
    public static List<byte[]> clientPackets() {
        try (Stream<Path> files = Files.list(shared().resolve("protocol/vectors"))) {
            List<byte[]> packets = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".hex")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("C>S ")) {
                        packets.add(HexFormat.of().parseHex(line.substring(4).trim()));
                    }
                }
            }
            return packets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the seeds into the corpus folder of {@code target}'s fuzz test method {@code method}. */
    public static void plant(Class<?> target, String method, List<byte[]> seeds) {
        Path dir = Path.of(System.getProperty("jazzer.internal.basedir", "target/fuzz"), ".cifuzz-corpus",
            target.getName(), method);
        try {
            Files.createDirectories(dir);
            for (byte[] seed : seeds) {
                Files.write(dir.resolve("seed-" + sha1(seed)), seed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
