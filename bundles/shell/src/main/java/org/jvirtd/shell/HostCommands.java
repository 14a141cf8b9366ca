package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's host commands in the Gogo scope {@code virt}, with virsh's names, options and output: nodeinfo,
 * nodecpustats, nodememstats, freecell, nodecpumap, freepages, node-memory-tune, allocpages, nodesuspend.
 */
@Component(service = HostCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=nodeinfo", "osgi.command.function=nodecpustats", "osgi.command.function=nodememstats",
    "osgi.command.function=freecell", "osgi.command.function=nodecpumap", "osgi.command.function=freepages",
    "osgi.command.function=node_memory_tune", "osgi.command.function=allocpages",
    "osgi.command.function=nodesuspend"})
public final class HostCommands {
    /** How many cells freecell --all and freepages --all ask about at most (REMOTE_NODE_MAX_CELLS). */
    private static final int MAX_CELLS = 1024;

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public HostCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("node information")
    public void nodeinfo(CommandSession session) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                Connection.NodeInfo info = c.nodeInfo();
                System.out.printf("%-20s %s%n", "CPU model:", info.model());
                System.out.printf("%-20s %d%n", "CPU(s):", info.cpus());
                System.out.printf("%-20s %d MHz%n", "CPU frequency:", info.mhz());
                System.out.printf("%-20s %d%n", "CPU socket(s):", info.sockets());
                System.out.printf("%-20s %d%n", "Core(s) per socket:", info.cores());
                System.out.printf("%-20s %d%n", "Thread(s) per core:", info.threads());
                System.out.printf("%-20s %d%n", "NUMA cell(s):", info.nodes());
                System.out.printf("%-20s %d KiB%n", "Memory size:", info.memoryKiB());
            }
        });
    }

    @Descriptor("prints cpu stats of the node")
    public void nodecpustats(CommandSession session,
                             @Descriptor("prints specified cpu statistics only")
                             @Parameter(names = "--cpu", absentValue = "-1") int cpu,
                             @Descriptor("prints by percentage during 1 second")
                             @Parameter(names = "--percent", presentValue = "true", absentValue = "false")
                             boolean percent) {
        Shell.run(session, "Unable to get node cpu stats", () -> {
            try (Connection c = connections.open(session)) {
                int count = c.nodeCpuStats(cpu, 0, 0).size();
                Map<String, Long> first = values(c.nodeCpuStats(cpu, count, 0));
                if (!percent) {
                    System.out.printf("%-15s %20d%n", "user:", first.get("user"));
                    System.out.printf("%-15s %20d%n", "system:", first.get("kernel"));
                    System.out.printf("%-15s %20d%n", "idle:", first.get("idle"));
                    System.out.printf("%-15s %20d%n", "iowait:", first.get("iowait"));
                    return;
                }
                sleepOneSecond();
                Map<String, Long> second = values(c.nodeCpuStats(cpu, count, 0));
                Function<String, Double> delta = f -> (double) (second.get(f) - first.get(f));
                double total = delta.apply("user") + delta.apply("kernel") + delta.apply("idle")
                    + delta.apply("iowait");
                double scale = total == 0 ? 0 : 100 / total;
                System.out.printf("%-15s %5.1f%%%n", "usage:", (delta.apply("user") + delta.apply("kernel")) * scale);
                System.out.printf("%-15s %5.1f%%%n", "user:", delta.apply("user") * scale);
                System.out.printf("%-15s %5.1f%%%n", "system:", delta.apply("kernel") * scale);
                System.out.printf("%-15s %5.1f%%%n", "idle:", delta.apply("idle") * scale);
                System.out.printf("%-15s %5.1f%%%n", "iowait:", delta.apply("iowait") * scale);
            }
        });
    }

    @Descriptor("prints memory stats of the node")
    public void nodememstats(CommandSession session,
                             @Descriptor("prints specified cell statistics only")
                             @Parameter(names = "--cell", absentValue = "-1") int cell) {
        Shell.run(session, "Unable to get number of memory stats", () -> {
            try (Connection c = connections.open(session)) {
                int count = c.nodeMemoryStats(cell, 0, 0).size();
                for (TypedParameter stat : c.nodeMemoryStats(cell, count, 0)) {
                    System.out.printf("%-7s: %20d KiB%n", stat.field(), (Long) stat.value());
                }
            }
        });
    }

    @Descriptor("NUMA free memory")
    public void freecell(CommandSession session,
                         @Descriptor("NUMA cell number")
                         @Parameter(names = "--cellno", absentValue = "-1") int cellno,
                         @Descriptor("show free memory for all NUMA cells")
                         @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                if (all) {
                    List<Long> cells = c.nodeCellsFreeMemory(0, MAX_CELLS);
                    long total = 0;
                    for (int cell = 0; cell < cells.size(); cell++) {
                        System.out.printf("%5d: %10d KiB%n", cell, cells.get(cell) / 1024);
                        total += cells.get(cell) / 1024;
                    }
                    System.out.println("--------------------");
                    System.out.printf("%5s: %10d KiB%n", "Total", total);
                } else if (cellno >= 0) {
                    System.out.printf("%d: %d KiB%n", cellno, c.nodeCellsFreeMemory(cellno, 1).get(0) / 1024);
                } else {
                    System.out.printf("Total: %d KiB%n", c.nodeFreeMemory() / 1024);
                }
            }
        });
    }

    @Descriptor("node cpu map")
    public void nodecpumap(CommandSession session,
                           @Descriptor("return human readable output")
                           @Parameter(names = "--pretty", presentValue = "true", absentValue = "false")
                           boolean pretty) {
        Shell.run(session, "Unable to get cpu map", () -> {
            try (Connection c = connections.open(session)) {
                Connection.CpuMap map = c.nodeCpuMap(0);
                System.out.printf("%-15s %d%n", "CPUs present:", map.cpus());
                System.out.printf("%-15s %d%n", "CPUs online:", map.online().cardinality());
                System.out.printf("%-15s %s%n", "CPU map:", pretty ? ranges(map.online()) : yesNo(map));
            }
        });
    }

    @Descriptor("NUMA free pages")
    public void freepages(CommandSession session,
                          @Descriptor("NUMA cell number")
                          @Parameter(names = "--cellno", absentValue = "-1") int cellno,
                          @Descriptor("page size (in kibibytes)")
                          @Parameter(names = "--pagesize", absentValue = "0") int pagesize,
                          @Descriptor("show free pages for all NUMA cells")
                          @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                List<Integer> sizes = pagesize > 0 ? List.of(pagesize) : pageSizes();
                if (all) {
                    int cells = c.nodeCellsFreeMemory(0, MAX_CELLS).size();
                    for (int cell = 0; cell < cells; cell++) {
                        System.out.printf("Node %d:%n", cell);
                        printPages(sizes, c.nodeFreePages(sizes, cell, 1, 0));
                        System.out.println();
                    }
                } else if (cellno >= 0) {
                    printPages(sizes, c.nodeFreePages(sizes, cellno, 1, 0));
                } else {
                    throw new ShellError("missing cellno argument");
                }
            }
        });
    }

    @Descriptor("Get or set node memory parameters")
    public void node_memory_tune(CommandSession session,
                                 @Descriptor("number of pages to scan before the shared memory service goes to sleep")
                                 @Parameter(names = "--shm-pages-to-scan", absentValue = "-1") long pagesToScan,
                                 @Descriptor("milliseconds the shared memory service sleeps before the next scan")
                                 @Parameter(names = "--shm-sleep-millisecs", absentValue = "-1") long sleepMillis,
                                 @Descriptor("whether pages from different NUMA nodes can be merged")
                                 @Parameter(names = "--shm-merge-across-nodes", absentValue = "-1") long merge) {
        List<TypedParameter> changes = new ArrayList<>();
        addUint(changes, "shm_pages_to_scan", pagesToScan);
        addUint(changes, "shm_sleep_millisecs", sleepMillis);
        addUint(changes, "shm_merge_across_nodes", merge);
        if (!changes.isEmpty()) {
            Shell.run(session, "Unable to change memory parameters", () -> {
                try (Connection c = connections.open(session)) {
                    c.setNodeMemoryParameters(changes, 0);
                }
            });
            return;
        }
        Shell.run(session, "Unable to get memory parameters", () -> {
            try (Connection c = connections.open(session)) {
                int count = c.nodeMemoryParameters(0, 0).size();
                System.out.println("Shared memory:");
                for (TypedParameter param : c.nodeMemoryParameters(count, 0)) {
                    System.out.printf("\t%-15s %s%n", param.field(), param.value());
                }
            }
        });
    }

    @Descriptor("Manipulate pages pool size")
    public void allocpages(CommandSession session,
                           @Descriptor("NUMA cell number")
                           @Parameter(names = "--cellno", absentValue = "-1") int cellno,
                           @Descriptor("add to the pool instead of setting its size")
                           @Parameter(names = "--add", presentValue = "true", absentValue = "false") boolean add,
                           @Descriptor("page size (in kibibytes, or with a K, M or G suffix)") String pagesize,
                           @Descriptor("page count") long pagecount) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                c.nodeAllocPages(List.of(kibibytes(pagesize)), List.of(pagecount), cellno, 1, add ? 0 : 1);
            }
        });
    }

    @Descriptor("Suspend the host node for a given time duration")
    public void nodesuspend(CommandSession session,
                            @Descriptor("mem (Suspend-to-RAM), disk (Suspend-to-Disk), hybrid (Hybrid-Suspend)")
                            String target,
                            @Descriptor("suspend duration in seconds, at least 60") long duration) {
        int number = List.of("mem", "disk", "hybrid").indexOf(target);
        Shell.run(session, "The host was not suspended", () -> {
            if (number < 0) {
                throw new ShellError("Invalid target");
            }
            try (Connection c = connections.open(session)) {
                c.nodeSuspend(number, duration, 0);
            }
        });
    }

    private static void addUint(List<TypedParameter> params, String field, long value) {
        if (value >= 0) {
            params.add(TypedParameter.ofUint(field, value));
        }
    }

    /** A page size such as "2048", "2M" or "1G" in KiB. */
    private static int kibibytes(String size) {
        String upper = size.toUpperCase(java.util.Locale.ROOT).replaceAll("I?B$", "");
        int shift = switch (upper.isEmpty() ? ' ' : upper.charAt(upper.length() - 1)) {
            case 'K' -> 0;
            case 'M' -> 10;
            case 'G' -> 20;
            default -> -1;
        };
        try {
            long value = Long.parseLong(shift < 0 ? upper : upper.substring(0, upper.length() - 1));
            return (int) (value << Math.max(shift, 0));
        } catch (NumberFormatException e) {
            throw new ShellError("page size has to be a number");
        }
    }

    private static Map<String, Long> values(List<TypedParameter> params) {
        return params.stream().collect(Collectors.toMap(TypedParameter::field, p -> (Long) p.value()));
    }

    private static void printPages(List<Integer> sizes, List<Long> counts) {
        for (int i = 0; i < sizes.size(); i++) {
            System.out.printf("%dKiB: %d%n", sizes.get(i), counts.get(i));
        }
    }

    /** The host's page sizes in KiB: the ordinary 4 KiB page and every huge page size the kernel offers. */
    private static List<Integer> pageSizes() {
        TreeSet<Integer> sizes = new TreeSet<>(List.of(4));
        java.io.File[] dirs = new java.io.File("/sys/kernel/mm/hugepages").listFiles();
        for (java.io.File dir : dirs == null ? new java.io.File[0] : dirs) {
            String name = dir.getName();
            if (name.startsWith("hugepages-") && name.endsWith("kB")) {
                sizes.add(Integer.parseInt(name.substring("hugepages-".length(), name.length() - 2)));
            }
        }
        return new ArrayList<>(sizes);
    }

    private static String yesNo(Connection.CpuMap map) {
        StringBuilder text = new StringBuilder();
        for (int cpu = 0; cpu < map.cpus(); cpu++) {
            text.append(map.online().get(cpu) ? 'y' : '-');
        }
        return text.toString();
    }

    /** "0-3,6" as libvirt formats a bitmap. */
    static String ranges(BitSet bits) {
        List<String> parts = new ArrayList<>();
        for (int start = bits.nextSetBit(0); start >= 0; ) {
            int end = bits.nextClearBit(start) - 1;
            parts.add(start == end ? String.valueOf(start) : start + "-" + end);
            start = bits.nextSetBit(end + 1);
        }
        return String.join(",", parts);
    }

    private static void sleepOneSecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
