package org.jvirtd.storage.core.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.storage.util.HostCommand;

/**
 * A loop device over a sparse file, for tests that need a real block device; closing it detaches it.
 */
public final class LoopDevice implements AutoCloseable {
    private final String path;

    private LoopDevice(String path) {
        this.path = path;
    }

    /** What {@link #usable()} checks, as a test names its prerequisite. */
    public static final String NEEDS = "loop devices (root, losetup and /dev/loop-control)";

    /** Whether this process may make loop devices (root, losetup, /dev/loop-control). */
    public static boolean usable() {
        return "root".equals(System.getProperty("user.name")) && HostCommand.available("losetup")
            && Files.exists(Path.of("/dev/loop-control"));
    }

    public static LoopDevice attach(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return new LoopDevice(HostCommand.run(List.of("losetup", "--find", "--show", file.toString())).strip());
    }

    public String path() {
        return path;
    }

    @Override
    public void close() {
        HostCommand.run(List.of("losetup", "-d", path));
    }
}
