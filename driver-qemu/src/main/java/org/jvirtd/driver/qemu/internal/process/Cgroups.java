package org.jvirtd.driver.qemu.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a guest's QEMU into a cgroup of its own beside the daemon's, where the host has cgroups: under
 * every mounted v1 controller among cpu, cpuacct, memory, pids and blkio, or under the v2 hierarchy.
 */
public final class Cgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> V1_CONTROLLERS = List.of("cpu", "cpuacct", "memory", "pids", "blkio");

    private Cgroups() {
    }

    /** Moves the process into {@code machine/<scope>} below the daemon's own group; returns the directories made. */
    public static List<Path> place(String scope, long pid) {
        List<Path> made = new ArrayList<>();
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            join(ROOT.resolve(own("")).resolve("machine").resolve(scope), pid, made);
            return made;
        }
        for (String controller : V1_CONTROLLERS) {
            Path mount = ROOT.resolve(controller);
            if (Files.exists(mount.resolve("cgroup.procs"))) {
                join(mount.resolve(own(controller)).resolve("machine").resolve(scope), pid, made);
            }
        }
        return made;
    }

    private static void join(Path dir, long pid, List<Path> made) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
            made.add(dir);
        } catch (IOException e) {
            System.getLogger(Cgroups.class.getName()).log(System.Logger.Level.WARNING,
                "cannot place QEMU " + pid + " in cgroup " + dir + ": " + e.getMessage());
        }
    }

    /** The daemon's own group path under a v1 controller ("" means v2), relative to the mount. */
    private static String own(String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                boolean match = controller.isEmpty() ? parts[0].equals("0")
                    : List.of(parts[1].split(",")).contains(controller);
                if (match) {
                    return parts[2].substring(1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }

    /** Removes the directories of a stopped guest (deepest first; the kernel refuses busy ones). */
    public static void remove(List<Path> dirs) {
        for (Path dir : dirs) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                System.getLogger(Cgroups.class.getName()).log(System.Logger.Level.DEBUG,
                    "cgroup " + dir + " not removed: " + e.getMessage());
            }
        }
    }
}
