package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's cgroups, named as libvirt names them without systemd ({@code machine/NAME.libvirt-lxc} below
 * the daemon's own group): one directory per mounted v1 controller (memory, cpu, cpuacct, cpuset, devices,
 * freezer, blkio, pids), or one directory in the v2 hierarchy. The controller makes and removes them; the
 * driver reads CPU time and memory from them and freezes and thaws the container through them.
 */
public record ContainerCgroups(List<Path> dirs) {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "cpuset", "devices",
        "freezer", "blkio", "pids");

    /** The directories for container {@code name} on this host. */
    public static ContainerCgroups forContainer(String name) {
        String leaf = "machine/" + name + ".libvirt-lxc";
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            return new ContainerCgroups(List.of(ROOT.resolve(own("")).resolve(leaf)));
        }
        Set<Path> dirs = new LinkedHashSet<>();
        for (String controller : V1_CONTROLLERS) {
            Path mount = ROOT.resolve(controller);
            if (Files.exists(mount.resolve("cgroup.procs"))) {
                try {
                    dirs.add(mount.toRealPath().resolve(own(controller)).resolve(leaf));
                } catch (IOException e) {
                    // not mounted after all
                }
            }
        }
        return new ContainerCgroups(List.copyOf(dirs));
    }

    public static ContainerCgroups parse(String recorded) {
        List<Path> dirs = new ArrayList<>();
        for (String d : recorded.split(":")) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        return new ContainerCgroups(List.copyOf(dirs));
    }

    public String record() {
        return String.join(":", dirs.stream().map(Path::toString).toList());
    }

    public List<String> paths() {
        return dirs.stream().map(Path::toString).toList();
    }

    /** The daemon's own group under a v1 controller ("" for v2), relative to the mount. */
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

    private Path find(String file) {
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve(file))) {
                return dir.resolve(file);
            }
        }
        return null;
    }

    /** CPU time the container used, in nanoseconds (cpuacct.usage, or cpu.stat's usage_usec on v2). */
    public long cpuTimeNanos() {
        try {
            Path usage = find("cpuacct.usage");
            if (usage != null) {
                return Long.parseLong(Files.readString(usage).strip());
            }
            Path stat = find("cpu.stat");
            if (stat != null) {
                for (String line : Files.readAllLines(stat)) {
                    if (line.startsWith("usage_usec ")) {
                        return Long.parseLong(line.substring(11).strip()) * 1000;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Memory the container uses now, in KiB. */
    public long memoryUsedKiB() {
        try {
            Path usage = find("memory.usage_in_bytes");
            if (usage == null) {
                usage = find("memory.current");
            }
            return usage == null ? 0 : Long.parseLong(Files.readString(usage).strip()) / 1024;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Memory plus swap the container uses now, in KiB, or -1 where the host does not account swap. */
    public long memorySwapUsedKiB() {
        try {
            Path usage = find("memory.memsw.usage_in_bytes");
            if (usage == null) {
                usage = find("memory.swap.current");
            }
            return usage == null ? -1 : Long.parseLong(Files.readString(usage).strip()) / 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Freezes (true) or thaws every process of the container, and waits until the kernel reports it done. */
    public void freeze(boolean frozen) throws IOException {
        Path state = find("freezer.state");
        if (state != null) {
            Files.writeString(state, frozen ? "FROZEN" : "THAWED");
            awaitState(state, frozen ? "FROZEN" : "THAWED");
            return;
        }
        Path freeze = find("cgroup.freeze");
        if (freeze == null) {
            throw new IOException("no freezer cgroup for the container");
        }
        Files.writeString(freeze, frozen ? "1" : "0");
    }

    private static void awaitState(Path state, String wanted) throws IOException {
        for (int i = 0; i < 100; i++) {
            if (Files.readString(state).strip().equals(wanted)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IOException("the freezer did not reach " + wanted);
    }

    /** Whether every directory is gone. */
    public boolean removed() {
        return dirs.stream().noneMatch(Files::exists);
    }
}
