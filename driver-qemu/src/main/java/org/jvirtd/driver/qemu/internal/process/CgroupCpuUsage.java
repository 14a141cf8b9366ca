package org.jvirtd.driver.qemu.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;

/**
 * The CPU time a guest's QEMU has used, from its cgroup's accounting (v1 cpuacct.usage, cpuacct.stat and
 * cpuacct.usage_percpu; v2 cpu.stat), as virDomainGetCPUStats reports it in nanoseconds.
 */
public final class CgroupCpuUsage {
    /** USER_HZ, the unit of cpuacct.stat. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final List<Path> dirs;
    private final boolean v2;

    public CgroupCpuUsage(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
        this.v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    }

    /** cpu_time, user_time and system_time (ULLONG, ns) of the whole guest. */
    public List<TypedParameter> total() {
        Path dir = group();
        long total;
        long user = 0;
        long system = 0;
        if (v2) {
            total = 0;
            for (String line : lines(dir, "cpu.stat")) {
                String[] kv = line.split("\\s+");
                switch (kv[0]) {
                    case "usage_usec" -> total = Long.parseLong(kv[1]) * 1000;
                    case "user_usec" -> user = Long.parseLong(kv[1]) * 1000;
                    case "system_usec" -> system = Long.parseLong(kv[1]) * 1000;
                    default -> { }
                }
            }
        } else {
            total = Long.parseLong(lines(dir, "cpuacct.usage").get(0).strip());
            for (String line : lines(dir, "cpuacct.stat")) {
                String[] kv = line.split("\\s+");
                if (kv[0].equals("user")) {
                    user = Long.parseLong(kv[1]) * NANOS_PER_TICK;
                } else if (kv[0].equals("system")) {
                    system = Long.parseLong(kv[1]) * NANOS_PER_TICK;
                }
            }
        }
        return List.of(TypedParameter.ofUllong("cpu_time", total), TypedParameter.ofUllong("user_time", user),
            TypedParameter.ofUllong("system_time", system));
    }

    /** The guest's cpu_time on each host CPU (cpuacct.usage_percpu), in host CPU order. */
    public List<Long> perCpu() {
        Path dir = group();
        if (v2) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.CGROUP,
                "getting cpuacct percpu usage is not implemented for cgroup v2");
        }
        List<Long> times = new ArrayList<>();
        for (String value : lines(dir, "cpuacct.usage_percpu").get(0).strip().split("\\s+")) {
            times.add(Long.parseLong(value));
        }
        return times;
    }

    private Path group() {
        for (Path dir : dirs) {
            if (v2 ? Files.exists(dir.resolve("cpu.stat")) : dir.startsWith(ROOT.resolve("cpuacct"))) {
                return dir;
            }
        }
        throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
            "cgroup CPUACCT controller is not mounted");
    }

    private static List<String> lines(Path dir, String file) {
        try {
            return Files.readAllLines(dir.resolve(file));
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP,
                "Unable to read " + dir.resolve(file) + ": " + e.getMessage());
        }
    }
}
