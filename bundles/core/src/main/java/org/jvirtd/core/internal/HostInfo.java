package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.jvirtd.api.connect.Connection.NodeInfo;

/**
 * The host's CPU and memory as virNodeGetInfo reports them, read from /proc and, for the memory, from the
 * NUMA nodes' meminfo in sysfs as libvirt (built with numactl) does.
 */
final class HostInfo {
    private static final Path NUMA_NODES = Path.of("/sys/devices/system/node");

    private HostInfo() {
    }

    static NodeInfo read() {
        return parse(lines(Path.of("/proc/cpuinfo")), memoryInfo(NUMA_NODES, Path.of("/proc/meminfo")),
            System.getProperty("os.arch"));
    }

    /**
     * The lines to take MemTotal from: every NUMA node's meminfo ("Node N MemTotal: ... kB", which libvirt
     * sums and which leaves out memory the kernel holds outside the nodes), or /proc/meminfo on a host
     * without NUMA nodes in sysfs.
     */
    static List<String> memoryInfo(Path numaNodes, Path procMeminfo) {
        List<String> nodes = new ArrayList<>();
        try (Stream<Path> list = Files.list(numaNodes)) {
            list.filter(p -> p.getFileName().toString().matches("node\\d+")).sorted()
                .forEach(node -> lines(node.resolve("meminfo")).stream()
                    .filter(line -> line.matches("Node \\d+ MemTotal:.*")).forEach(nodes::add));
        } catch (IOException e) {
            // no sysfs NUMA view: the whole host's figure below
        }
        return nodes.isEmpty() ? lines(procMeminfo) : nodes;
    }

    /** Reads /proc/cpuinfo lines and MemTotal lines (/proc/meminfo's or the NUMA nodes', which are summed). */
    static NodeInfo parse(List<String> cpuinfo, List<String> meminfo, String arch) {
        int cpus = 0;
        int mhz = 0;
        int coresPerSocket = 0;
        int siblings = 0;
        Set<String> sockets = new HashSet<>();
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> cpus++;
                case "cpu MHz" -> mhz = (int) Double.parseDouble(value);
                case "physical id" -> sockets.add(value);
                case "cpu cores" -> coresPerSocket = Integer.parseInt(value);
                case "siblings" -> siblings = Integer.parseInt(value);
                default -> {
                }
            }
        }
        long memoryKiB = 0;
        for (String line : meminfo) {
            int at = line.indexOf("MemTotal:");
            if (at >= 0) {
                memoryKiB += Long.parseLong(line.substring(at).replaceAll("[^0-9]", ""));
            }
        }
        int socketCount = Math.max(1, sockets.size());
        int cores = coresPerSocket > 0 ? coresPerSocket : Math.max(1, cpus / socketCount);
        int threads = coresPerSocket > 0 && siblings >= coresPerSocket ? siblings / coresPerSocket : 1;
        String model = "amd64".equals(arch) ? "x86_64" : arch;
        return new NodeInfo(model, memoryKiB, Math.max(cpus, 1), mhz, 1, socketCount, cores, threads);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
