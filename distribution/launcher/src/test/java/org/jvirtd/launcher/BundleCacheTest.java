package org.jvirtd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCacheTest {
    @TempDir
    Path temp;

    @Test
    void systemSessionAndRootLayouts() {
        assertEquals(Path.of("/var/cache/jvirtd/felix-cache"), BundleCache.location(null, true, Map.of(), "/root"));
        assertEquals(Path.of("/tmp/t/var/cache/jvirtd/felix-cache"),
            BundleCache.location("/tmp/t", false, Map.of(), "/h"));
        assertEquals(Path.of("/h/c/jvirtd/felix-cache"),
            BundleCache.location(null, false, Map.of("XDG_CACHE_HOME", "/h/c"), "/h"));
        assertEquals(Path.of("/h/.cache/jvirtd/felix-cache"), BundleCache.location(null, false, Map.of(), "/h"));
    }

    @Test
    void reusedOnlyByTheInstallationThatFilledIt() throws IOException {
        Path home = installation("a");
        Path dir = temp.resolve("state/var/cache/jvirtd/felix-cache");
        try (BundleCache cache = BundleCache.open(dir, home)) {
            assertFalse(cache.current(), "an empty cache is not current");
            Files.createDirectories(dir);
            cache.seal();
            assertTrue(cache.current());
        }
        try (BundleCache cache = BundleCache.open(dir, home)) {
            assertTrue(cache.current(), "a restart of the same installation reuses the cache");
        }
        // an upgrade: same file names, same size, new content
        Files.writeString(home.resolve("bundle/core.jar"), "core-2");
        try (BundleCache cache = BundleCache.open(dir, home)) {
            assertFalse(cache.current(), "an upgraded bundle invalidates the cache");
            cache.seal();
            cache.invalidate();
            assertFalse(cache.current(), "an invalidated cache stays stale until sealed again");
        }
        try (BundleCache cache = BundleCache.open(dir, installation("b"))) {
            assertFalse(cache.current());
        }
    }

    @Test
    void digestCoversFrameworkSettingsAndPlace() throws IOException {
        Path home = installation("a");
        String before = BundleCache.digest(home);
        Files.writeString(home.resolve("conf/config.properties"), "felix.auto.start.3=x\n");
        assertNotEquals(before, BundleCache.digest(home));
        assertNotEquals(BundleCache.digest(installation("b")), BundleCache.digest(installation("c")),
            "two installations do not share bundle locations");
    }

    @Test
    void twoDaemonsDoNotShareOneCache() throws IOException {
        Path dir = temp.resolve("felix-cache");
        try (BundleCache first = BundleCache.open(dir, installation("a"))) {
            Path own;
            try (BundleCache second = BundleCache.open(dir, installation("a"))) {
                assertTrue(second.throwaway());
                own = second.dir();
                assertNotEquals(dir, own);
                Files.createDirectories(own.resolve("bundle1"));
                second.seal();
            }
            assertFalse(Files.exists(own), "a private cache is removed at exit");
            assertFalse(first.throwaway());
        }
        try (BundleCache again = BundleCache.open(dir, installation("a"))) {
            assertFalse(again.throwaway(), "the lock goes with the daemon");
        }
    }

    private Path installation(String name) throws IOException {
        Path home = temp.resolve(name);
        Files.createDirectories(home.resolve("bundle"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bundle/core.jar"), "core-1");
        Files.writeString(home.resolve("bin/felix.jar"), "felix");
        Files.writeString(home.resolve("conf/config.properties"), "a=b\n");
        return home;
    }
}
