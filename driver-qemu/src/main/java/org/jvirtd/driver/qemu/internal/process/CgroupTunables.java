package org.jvirtd.driver.qemu.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;

/**
 * Reads and writes the tunables of a guest's own cgroup (the directories {@link Cgroups#place} made): memory
 * limits and CPU shares and bandwidth, in the v1 files (memory.limit_in_bytes, cpu.shares, cpu.cfs_*) or the v2
 * ones (memory.max/high/swap.max, cpu.weight, cpu.max). The guest's threads all share the one group: jvirtd makes
 * no per-vCPU or emulator sub-groups, so the vCPU, emulator and IOThread bandwidth read the group's own.
 */
public final class CgroupTunables {
    /** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, in KiB. */
    public static final long UNLIMITED_KIB = 9007199254740991L;
    /** VIR_CGROUP_CPU_QUOTA_MAX: what a v2 "max" quota reads as. */
    static final long QUOTA_MAX = 17592186044415L;
    private static final long V1_UNLIMITED_BYTES = Long.MAX_VALUE & ~4095L;
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final List<Path> dirs;
    private final boolean v2;

    public CgroupTunables(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
        this.v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    }

    /** Whether this host mounts a CPU controller, and with CFS bandwidth (cpu.cfs_period_us or cpu.max). */
    public static int schedulerParameterCount() {
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            if (!controllers().contains("cpu")) {
                throw notMounted("cgroup CPU controller is not mounted");
            }
            return 9;
        }
        if (!Files.exists(ROOT.resolve("cpu").resolve("cpu.shares"))) {
            throw notMounted("cgroup CPU controller is not mounted");
        }
        return Files.exists(ROOT.resolve("cpu").resolve("cpu.cfs_period_us")) ? 9 : 1;
    }

    /** hard_limit, soft_limit, swap_hard_limit in KiB (ULLONG). */
    public List<TypedParameter> memory() {
        Path dir = group("memory", "cgroup memory controller is not mounted");
        long hard;
        long soft;
        long swap;
        if (v2) {
            hard = kib(read(dir, "memory.max"));
            soft = kib(read(dir, "memory.high"));
            String swapMax = readOptional(dir, "memory.swap.max");
            swap = swapMax == null || hard == UNLIMITED_KIB ? UNLIMITED_KIB : Math.min(UNLIMITED_KIB, hard + kib(swapMax));
        } else {
            hard = kib(read(dir, "memory.limit_in_bytes"));
            soft = kib(read(dir, "memory.soft_limit_in_bytes"));
            String memsw = readOptional(dir, "memory.memsw.limit_in_bytes");
            swap = memsw == null ? UNLIMITED_KIB : kib(memsw);
        }
        return List.of(TypedParameter.ofUllong("hard_limit", hard), TypedParameter.ofUllong("soft_limit", soft),
            TypedParameter.ofUllong("swap_hard_limit", swap));
    }

    /**
     * Writes limits in KiB ({@link #UNLIMITED_KIB} for none). A higher swap_hard_limit goes before the hard limit and
     * a lower one after it, as the kernel wants memory+swap never below memory.
     */
    public void setMemory(Map<String, Long> kib) {
        Path dir = group("memory", "cgroup memory controller is not mounted");
        Long swap = kib.get("swap_hard_limit");
        Long hard = kib.get("hard_limit");
        Long soft = kib.get("soft_limit");
        long currentSwap = memory().get(2).value() instanceof Long l ? l : UNLIMITED_KIB;
        boolean swapFirst = swap != null && Long.compareUnsigned(swap, currentSwap) >= 0;
        if (swapFirst) {
            writeSwap(dir, swap, hard);
        }
        if (hard != null) {
            write(dir, v2 ? "memory.max" : "memory.limit_in_bytes", bytes(hard));
        }
        if (swap != null && !swapFirst) {
            writeSwap(dir, swap, hard);
        }
        if (soft != null) {
            write(dir, v2 ? "memory.high" : "memory.soft_limit_in_bytes", bytes(soft));
        }
    }

    private void writeSwap(Path dir, long swap, Long hard) {
        if (!v2) {
            if (!Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.CGROUP,
                    "swap accounting is not enabled on this host (memory.memsw.limit_in_bytes)");
            }
            write(dir, "memory.memsw.limit_in_bytes", bytes(swap));
            return;
        }
        long memory = hard != null ? hard : kib(read(dir, "memory.max"));
        write(dir, "memory.swap.max", swap >= UNLIMITED_KIB || memory >= UNLIMITED_KIB ? "max"
            : Long.toString(Math.max(0, swap - memory) << 10));
    }

    /**
     * cpu_shares, then vcpu, emulator, global and IOThread period (ULLONG) and quota (LLONG), all from the guest's
     * one group.
     */
    public List<TypedParameter> scheduler() {
        Path dir = group("cpu", "cgroup CPU controller is not mounted");
        long shares;
        long period;
        long quota;
        if (v2) {
            shares = Long.parseLong(read(dir, "cpu.weight"));
            String[] max = read(dir, "cpu.max").split("\\s+");
            quota = max[0].equals("max") ? QUOTA_MAX : Long.parseLong(max[0]);
            period = Long.parseLong(max[1]);
        } else {
            shares = Long.parseLong(read(dir, "cpu.shares"));
            period = Long.parseLong(read(dir, "cpu.cfs_period_us"));
            quota = Long.parseLong(read(dir, "cpu.cfs_quota_us"));
        }
        List<TypedParameter> params = new ArrayList<>();
        params.add(TypedParameter.ofUllong("cpu_shares", shares));
        for (String scope : List.of("vcpu", "emulator", "global", "iothread")) {
            params.add(TypedParameter.ofUllong(scope + "_period", period));
            params.add(TypedParameter.ofLlong(scope + "_quota", quota));
        }
        return params;
    }

    /** Writes cpu_shares, global_period and global_quota (-1 or VIR_CGROUP_CPU_QUOTA_MAX: no limit). */
    public void setScheduler(Long shares, Long period, Long quota) {
        Path dir = group("cpu", "cgroup CPU controller is not mounted");
        if (shares != null) {
            write(dir, v2 ? "cpu.weight" : "cpu.shares", Long.toString(shares));
        }
        if (v2 && (period != null || quota != null)) {
            String[] max = read(dir, "cpu.max").split("\\s+");
            String q = quota == null ? max[0] : quota < 0 || quota >= QUOTA_MAX ? "max" : Long.toString(quota);
            write(dir, "cpu.max", q + " " + (period == null ? max[1] : Long.toString(period)));
            return;
        }
        if (period != null) {
            write(dir, "cpu.cfs_period_us", Long.toString(period));
        }
        if (quota != null) {
            write(dir, "cpu.cfs_quota_us", Long.toString(quota >= QUOTA_MAX ? -1 : quota));
        }
    }

    /** The group's block I/O weight (BFQ's file where the kernel has BFQ, else the CFQ-era one). */
    public int blkioWeight() {
        Path dir = blkioGroup();
        String file = weightFile(dir);
        String value = read(dir, file);
        // v2 io.weight and io.bfq.weight read "default N" followed by per-device lines
        for (String line : value.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equals("default")) {
                return Integer.parseInt(parts[1]);
            }
            if (parts.length == 1 && !parts[0].isEmpty()) {
                return Integer.parseInt(parts[0]);
            }
        }
        throw VirtErrors.internal(ErrorDomain.CGROUP, "Unable to parse " + dir.resolve(file));
    }

    public void setBlkioWeight(int weight) {
        Path dir = blkioGroup();
        String file = weightFile(dir);
        write(dir, file, v2 && file.equals("io.weight") ? "default " + weight : Integer.toString(weight));
    }

    private Path blkioGroup() {
        return group(v2 ? "io" : "blkio", "blkio cgroup isn't mounted");
    }

    private String weightFile(Path dir) {
        for (String file : v2 ? List.of("io.bfq.weight", "io.weight") : List.of("blkio.bfq.weight", "blkio.weight")) {
            if (Files.exists(dir.resolve(file))) {
                return file;
            }
        }
        throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "blkio device weight is valid only "
            + "for bfq or cfq scheduler");
    }

    /**
     * Puts the kernel's defaults back (no memory limits, the default share, no CPU quota) where the guest has a
     * group: a group left by an earlier run of the same id and name must not hand its limits to a new one.
     */
    public void reset() {
        Path memory = optionalGroup("memory");
        if (memory != null) {
            if (v2) {
                writeIfPresent(memory, "memory.swap.max", "max");
                writeIfPresent(memory, "memory.max", "max");
                writeIfPresent(memory, "memory.high", "max");
            } else {
                writeIfPresent(memory, "memory.memsw.limit_in_bytes", "-1");
                writeIfPresent(memory, "memory.limit_in_bytes", "-1");
                writeIfPresent(memory, "memory.soft_limit_in_bytes", "-1");
            }
        }
        Path cpu = optionalGroup("cpu");
        if (cpu != null) {
            if (v2) {
                writeIfPresent(cpu, "cpu.weight", "100");
                writeIfPresent(cpu, "cpu.max", "max 100000");
            } else {
                writeIfPresent(cpu, "cpu.shares", "1024");
                writeIfPresent(cpu, "cpu.cfs_quota_us", "-1");
                writeIfPresent(cpu, "cpu.cfs_period_us", "100000");
            }
        }
    }

    private Path optionalGroup(String controller) {
        try {
            return group(controller, "");
        } catch (VirtException e) {
            return null;
        }
    }

    private static void writeIfPresent(Path dir, String file, String value) {
        if (Files.exists(dir.resolve(file))) {
            write(dir, file, value);
        }
    }

    /** The guest's group of a controller (v1: the one under /sys/fs/cgroup/<controller>; v2: the only one). */
    private Path group(String controller, String notMounted) {
        for (Path dir : dirs) {
            if (v2 ? controllers().contains(controller) : dir.startsWith(ROOT.resolve(controller))) {
                return dir;
            }
        }
        throw notMounted(notMounted);
    }

    private static List<String> controllers() {
        try {
            return List.of(Files.readString(ROOT.resolve("cgroup.controllers")).strip().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static VirtException notMounted(String message) {
        return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, message);
    }

    /** A byte count ("max" for none) in KiB, capped at the unlimited value as libvirt reports it. */
    private static long kib(String bytes) {
        if (bytes.equals("max")) {
            return UNLIMITED_KIB;
        }
        long value = Long.parseUnsignedLong(bytes);
        // v1 writes "no limit" as the largest page-aligned count, LLONG_MAX rounded down to the page size
        if (Long.compareUnsigned(value, V1_UNLIMITED_BYTES) >= 0) {
            return UNLIMITED_KIB;
        }
        return Math.min(UNLIMITED_KIB, value >>> 10);
    }

    private String bytes(long kib) {
        if (kib >= UNLIMITED_KIB) {
            return v2 ? "max" : "-1";
        }
        return Long.toString(kib << 10);
    }

    private static String read(Path dir, String file) {
        String value = readOptional(dir, file);
        if (value == null) {
            throw VirtErrors.internal(ErrorDomain.CGROUP, "Unable to read " + dir.resolve(file));
        }
        return value;
    }

    private static String readOptional(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path dir, String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP,
                "Unable to write to '" + dir.resolve(file) + "': " + e.getMessage());
        }
    }
}
