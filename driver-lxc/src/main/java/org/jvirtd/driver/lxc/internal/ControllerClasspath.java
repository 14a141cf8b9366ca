package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.jvirtd.driver.lxc.internal.controller.ControllerMain;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The class path a controller JVM runs with: the controller's classes and JNA. Outside OSGi these are the
 * directories or jars the classes came from. Inside Felix a bundle's file is no stable place (the cache holds
 * it, an update replaces it), so the classes are copied out of the bundles into jars named by their content's
 * SHA-256 under the driver's runtime directory: a running controller's jar is never rewritten, and a driver
 * update brings a new jar for the next container.
 */
final class ControllerClasspath {
    private static final String CONTROLLER_PACKAGE = "org/jvirtd/driver/lxc/internal/controller";

    private ControllerClasspath() {
    }

    static String resolve(Path dir) {
        List<String> entries = new ArrayList<>();
        entries.add(locate(ControllerMain.class, dir, CONTROLLER_PACKAGE, "lxc-controller"));
        entries.add(locate(com.sun.jna.Native.class, dir, "/", "jna"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String locate(Class<?> type, Path dir, String path, String name) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        try {
            if (bundle == null) {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            }
            return extract(bundle, path, dir, name).toString();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot find the classes of " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Copies the bundle's files under {@code path} into DIR/NAME-SHA.jar (once per content). */
    private static Path extract(Bundle bundle, String path, Path dir, String name) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        for (URL url : Collections.list(bundle.findEntries(path, "*", true))) {
            String entry = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
            if (entry.endsWith("/") || entry.startsWith("META-INF/")) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                files.put(entry, in.readAllBytes());
            }
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        files.forEach((entry, bytes) -> {
            sha.update(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(bytes);
        });
        Path jar = dir.resolve(name + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 16) + ".jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (var e : files.entrySet()) {
                jarOut.putNextEntry(new JarEntry(e.getKey()));
                jarOut.write(e.getValue());
                jarOut.closeEntry();
            }
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }
}
