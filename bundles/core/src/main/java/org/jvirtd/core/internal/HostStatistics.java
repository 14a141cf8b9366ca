package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection.CpuMap;

/**
 * The host statistics of libvirt's node calls (CPU times, memory, free memory per NUMA cell, the CPU map,
 * free pages, KSM parameters), read from /proc and /sys where libvirt reads them on Linux and checked and
 * worded as libvirt's host code does (its errors come from no particular domain).
 */
final class HostStatistics {
    static final HostStatistics SYSTEM = new HostStatistics(Path.of("/"));

    /** Nanoseconds per clock tick of /proc/stat (USER_HZ is 100 on Linux). */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final List<String> CPU_FIELDS = List.of("kernel", "user", "idle", "iowait");
    /** meminfo lines and the fields libvirt names them, in libvirt's order. */
    private static final List<String[]> MEMORY_FIELDS = List.of(new String[] {"MemTotal:", "total"},
        new String[] {"MemFree:", "free"}, new String[] {"Buffers:", "buffers"}, new String[] {"Cached:", "cached"});
    /** /sys/kernel/mm/ksm files as virNodeGetMemoryParameters reports them, with their types. */
    private static final List<String[]> KSM_FIELDS = List.of(new String[] {"pages_to_scan", "uint"},
        new String[] {"sleep_millisecs", "uint"}, new String[] {"pages_shared", "ullong"},
        new String[] {"pages_sharing", "ullong"}, new String[] {"pages_unshared", "ullong"},
        new String[] {"pages_volatile", "ullong"}, new String[] {"full_scans", "ullong"},
        new String[] {"merge_across_nodes", "uint"});
    /** VIR_TYPED_PARAM_STRING_OKAY: the caller takes string parameters. */
    private static final int TYPED_PARAM_STRING_OKAY = 1 << 2;
    /** The size of an ordinary page in KiB. */
    private static final int SYSTEM_PAGE_KIB = 4;

    private final Path root;

    /** Statistics of the host whose /proc and /sys are under {@code root} ("/" for this one). */
    HostStatistics(Path root) {
        this.root = root;
    }

    List<TypedParameter> cpuStats(int cpu, int nparams, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, 0, "virHostCPUGetStats");
        if (nparams == 0) {
            return unread(CPU_FIELDS);
        }
        if (nparams != CPU_FIELDS.size()) {
            throw VirtErrors.badArgument(ErrorDomain.NONE,
                "nparams in virHostCPUGetStatsLinux must be equal to " + CPU_FIELDS.size());
        }
        String label = cpu == -1 ? "cpu" : "cpu" + cpu;
        for (String line : lines(root.resolve("proc/stat"))) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals(label) && words.length >= 8) {
                long user = Long.parseLong(words[1]) + Long.parseLong(words[2]);
                long kernel = Long.parseLong(words[3]) + Long.parseLong(words[6]) + Long.parseLong(words[7]);
                return List.of(TypedParameter.ofUllong("kernel", kernel * NANOS_PER_TICK),
                    TypedParameter.ofUllong("user", user * NANOS_PER_TICK),
                    TypedParameter.ofUllong("idle", Long.parseLong(words[4]) * NANOS_PER_TICK),
                    TypedParameter.ofUllong("iowait", Long.parseLong(words[5]) * NANOS_PER_TICK));
            }
        }
        throw VirtErrors.badArgument(ErrorDomain.NONE, "Invalid cpuNum in virHostCPUGetStatsLinux");
    }

    List<TypedParameter> memoryStats(int cell, int nparams, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, 0, "virHostMemGetStats");
        Path source = root.resolve("proc/meminfo");
        if (cell != -1) {
            int maxNode = maxNode();
            if (cell > maxNode) {
                throw VirtErrors.badArgument(ErrorDomain.NONE,
                    "cellNum in virHostMemGetStats must be less than or equal to " + maxNode);
            }
            source = nodeDir(cell).resolve("meminfo");
        }
        // a NUMA cell's meminfo has no buffers and cached lines
        List<String> fields = MEMORY_FIELDS.stream().map(f -> f[1]).limit(cell == -1 ? 4 : 2).toList();
        if (nparams == 0) {
            return unread(fields);
        }
        if (nparams != fields.size()) {
            throw VirtErrors.badArgument(ErrorDomain.NONE,
                "nparams in virHostMemGetStatsLinux must be " + fields.size());
        }
        List<TypedParameter> stats = new ArrayList<>();
        for (String line : lines(source)) {
            String[] words = withoutNodePrefix(line.trim().split("\\s+"));
            for (String[] field : MEMORY_FIELDS) {
                if (words.length >= 2 && words[0].equals(field[0])) {
                    stats.add(TypedParameter.ofUllong(field[1], Long.parseLong(words[1])));
                }
            }
        }
        if (stats.isEmpty()) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE, "no available memory line found");
        }
        return stats;
    }

    /** Free bytes over every NUMA cell, or of the host's meminfo where the kernel has no NUMA nodes. */
    long freeMemory() {
        if (!Files.isDirectory(root.resolve("sys/devices/system/node/node0"))) {
            return meminfoKiB(root.resolve("proc/meminfo"), "MemFree:") * 1024;
        }
        long free = 0;
        for (int node = 0; node <= maxNode(); node++) {
            if (Files.isDirectory(nodeDir(node))) {
                free += meminfoKiB(nodeDir(node).resolve("meminfo"), "MemFree:") * 1024;
            }
        }
        return free;
    }

    List<Long> cellsFreeMemory(int startCell, int maxCells) {
        int last = lastCell(startCell, maxCells);
        List<Long> free = new ArrayList<>();
        for (int cell = startCell; cell <= last; cell++) {
            free.add(meminfoKiB(nodeDir(cell).resolve("meminfo"), "MemFree:") * 1024);
        }
        return free;
    }

    CpuMap cpuMap(int flags) {
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, 0, "virHostCPUGetMap");
        BitSet present = cpuList(root.resolve("sys/devices/system/cpu/present"));
        BitSet online = cpuList(root.resolve("sys/devices/system/cpu/online"));
        return new CpuMap(present.length(), online);
    }

    List<Long> freePages(List<Integer> pageSizesKiB, int startCell, int cellCount) {
        int last = lastCell(startCell, cellCount);
        List<Long> counts = new ArrayList<>();
        for (int cell = startCell; cell <= last; cell++) {
            for (int size : pageSizesKiB) {
                counts.add(freePagesOf(cell, size));
            }
        }
        if (counts.isEmpty()) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE, "no suitable info found");
        }
        return counts;
    }

    List<TypedParameter> memoryParameters(int nparams, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, TYPED_PARAM_STRING_OKAY, "virHostMemGetParameters");
        int count = nparams == 0 ? KSM_FIELDS.size() : Math.min(nparams, KSM_FIELDS.size());
        List<TypedParameter> params = new ArrayList<>();
        for (String[] field : KSM_FIELDS.subList(0, count)) {
            String name = "shm_" + field[0];
            long value = nparams == 0 ? 0 : readLong(root.resolve("sys/kernel/mm/ksm").resolve(field[0]));
            params.add(field[1].equals("uint") ? TypedParameter.ofUint(name, value)
                : TypedParameter.ofUllong(name, value));
        }
        return params;
    }

    /** The highest NUMA node number, 0 on a kernel without NUMA. */
    int maxNode() {
        try (Stream<Path> entries = Files.list(root.resolve("sys/devices/system/node"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("node\\d+"))
                .mapToInt(n -> Integer.parseInt(n.substring(4))).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last cell of a range that starts at {@code startCell}, cut at the host's last one. */
    private int lastCell(int startCell, int count) {
        int maxNode = maxNode();
        if (startCell > maxNode) {
            throw VirtErrors.internal(ErrorDomain.NONE,
                "start cell " + startCell + " out of range (0-" + maxNode + ")");
        }
        return (int) Math.min(maxNode, (long) startCell + count - 1);
    }

    /** Free pages of {@code sizeKiB} in {@code cell}; cell -1 is the whole host. */
    private long freePagesOf(int cell, int sizeKiB) {
        if (sizeKiB == SYSTEM_PAGE_KIB) {
            long freeKiB = cell == -1 ? freeMemory() / 1024 : meminfoKiB(nodeDir(cell).resolve("meminfo"), "MemFree:");
            return freeKiB / sizeKiB;
        }
        Path base = cell == -1 ? root.resolve("sys/kernel/mm/hugepages") : nodeDir(cell).resolve("hugepages");
        Path dir = base.resolve("hugepages-" + Integer.toUnsignedString(sizeKiB) + "kB");
        if (!Files.isDirectory(dir)) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE,
                "page size " + Integer.toUnsignedString(sizeKiB) + " is not available on node " + cell);
        }
        return readLong(dir.resolve("free_hugepages"));
    }

    private Path nodeDir(int cell) {
        return root.resolve("sys/devices/system/node/node" + cell);
    }

    private static List<TypedParameter> unread(List<String> fields) {
        return fields.stream().map(f -> TypedParameter.ofUllong(f, 0)).toList();
    }

    /** A NUMA node's meminfo lines start "Node 0 MemFree: ..."; the host's start at the field. */
    private static String[] withoutNodePrefix(String[] words) {
        if (words.length > 2 && words[0].equals("Node")) {
            String[] rest = new String[words.length - 2];
            System.arraycopy(words, 2, rest, 0, rest.length);
            return rest;
        }
        return words;
    }

    private static long meminfoKiB(Path file, String field) {
        for (String line : lines(file)) {
            String[] words = withoutNodePrefix(line.trim().split("\\s+"));
            if (words.length >= 2 && words[0].equals(field)) {
                return Long.parseLong(words[1]);
            }
        }
        throw VirtErrors.operationFailed(ErrorDomain.NONE, "no " + field + " line in " + file);
    }

    /** A kernel CPU list such as "0-3,8,10-11". */
    static BitSet cpuList(Path file) {
        BitSet cpus = new BitSet();
        String text = lines(file).stream().findFirst().orElse("").trim();
        for (String range : text.isEmpty() ? new String[0] : text.split(",")) {
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    private static long readLong(Path file) {
        return Long.parseLong(lines(file).stream().findFirst().orElse("0").trim());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, "cannot open " + file, e);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, "cannot read " + file, e);
        }
    }
}
