package org.jvirtd.platform.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The host's NUMA topology as libvirt's capabilities describe it: each cell's memory, its pages of every
 * size, its distances to the other cells and its CPUs with their socket, die, core and siblings; and the
 * page sizes the host offers. Read from /sys (under a root, so tests can give a tree of their own).
 */
public record HostTopology(List<Integer> pageSizesKiB, List<Cell> cells) {
    /** The size of an ordinary page in KiB. */
    private static final int SYSTEM_PAGE_KIB = 4;

    /** A NUMA cell; {@code pages} has one count per entry of pageSizesKiB (all pages, free or not). */
    public record Cell(int id, long memoryKiB, List<Long> pages, List<int[]> distances, List<Cpu> cpus) {
    }

    public record Cpu(int id, int socket, int die, int core, String siblings) {
    }

    public static HostTopology read() {
        return read(Path.of("/"));
    }

    public static HostTopology read(Path root) {
        Path sys = root.resolve("sys");
        List<Integer> sizes = new ArrayList<>(List.of(SYSTEM_PAGE_KIB));
        sizes.addAll(hugePageSizes(sys.resolve("kernel/mm/hugepages")));
        List<Cell> cells = new ArrayList<>();
        for (int id : numbered(sys.resolve("devices/system/node"), "node")) {
            Path node = sys.resolve("devices/system/node/node" + id);
            long memory = memTotal(node.resolve("meminfo"));
            List<Long> pages = new ArrayList<>();
            for (int size : sizes) {
                pages.add(size == SYSTEM_PAGE_KIB ? memory / SYSTEM_PAGE_KIB
                    : number(node.resolve("hugepages/hugepages-" + size + "kB/nr_hugepages")));
            }
            cells.add(new Cell(id, memory, pages, distances(node.resolve("distance")), cpus(sys, node)));
        }
        return new HostTopology(List.copyOf(sizes), List.copyOf(cells));
    }

    private static List<Integer> hugePageSizes(Path dir) {
        TreeSet<Integer> sizes = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("hugepages-\\d+kB"))
                .forEach(n -> sizes.add(Integer.parseInt(n.substring("hugepages-".length(), n.length() - 2))));
        } catch (IOException e) {
            // a kernel without huge pages offers the ordinary size alone
        }
        return List.copyOf(sizes);
    }

    /** The numbers N of the entries PREFIXN in a directory, in order. */
    private static List<Integer> numbered(Path dir, String prefix) {
        TreeSet<Integer> ids = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.matches(prefix + "\\d+"))
                .forEach(n -> ids.add(Integer.parseInt(n.substring(prefix.length()))));
        } catch (IOException e) {
            // no such directory: nothing of that kind
        }
        return List.copyOf(ids);
    }

    private static long memTotal(Path meminfo) {
        for (String line : lines(meminfo)) {
            String[] words = line.trim().split("\\s+");
            // "Node 0 MemTotal:  7825224 kB"
            if (words.length >= 4 && words[2].equals("MemTotal:")) {
                return Long.parseLong(words[3]);
            }
        }
        return 0;
    }

    private static List<int[]> distances(Path file) {
        List<int[]> result = new ArrayList<>();
        String[] values = lines(file).stream().findFirst().orElse("").trim().split("\\s+");
        for (int i = 0; i < values.length; i++) {
            if (!values[i].isEmpty()) {
                result.add(new int[] {i, Integer.parseInt(values[i])});
            }
        }
        return result;
    }

    private static List<Cpu> cpus(Path sys, Path node) {
        List<Cpu> cpus = new ArrayList<>();
        for (int id : numbered(node, "cpu")) {
            Path topology = sys.resolve("devices/system/cpu/cpu" + id + "/topology");
            cpus.add(new Cpu(id, (int) number(topology.resolve("physical_package_id")),
                (int) number(topology.resolve("die_id")), (int) number(topology.resolve("core_id")),
                lines(topology.resolve("thread_siblings_list")).stream().findFirst().orElse(Integer.toString(id))
                    .trim()));
        }
        return cpus;
    }

    private static long number(Path file) {
        String text = lines(file).stream().findFirst().orElse("0").trim();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The host's part of the capabilities XML that this describes, indented for its place in {@code <host>}:
     * the {@code <pages>} lines that go at the end of {@code <cpu>}, and the {@code <topology>} element.
     */
    public String cpuPagesXml() {
        StringBuilder out = new StringBuilder();
        pageSizesKiB.forEach(size -> out.append("      <pages unit='KiB' size='").append(size).append("'/>\n"));
        return out.toString();
    }

    /** The {@code <topology>} element of the capabilities' {@code <host>}, or "" on a host without NUMA nodes. */
    public String topologyXml() {
        if (cells.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("    <topology>\n      <cells num='").append(cells.size()).append("'>\n");
        for (Cell cell : cells) {
            out.append("        <cell id='").append(cell.id()).append("'>\n");
            out.append("          <memory unit='KiB'>").append(cell.memoryKiB()).append("</memory>\n");
            for (int i = 0; i < pageSizesKiB.size(); i++) {
                out.append("          <pages unit='KiB' size='").append(pageSizesKiB.get(i)).append("'>")
                    .append(cell.pages().get(i)).append("</pages>\n");
            }
            out.append("          <distances>\n");
            cell.distances().forEach(d -> out.append("            <sibling id='").append(d[0]).append("' value='")
                .append(d[1]).append("'/>\n"));
            out.append("          </distances>\n          <cpus num='").append(cell.cpus().size()).append("'>\n");
            cell.cpus().forEach(c -> out.append("            <cpu id='").append(c.id()).append("' socket_id='")
                .append(c.socket()).append("' die_id='").append(c.die()).append("' core_id='").append(c.core())
                .append("' siblings='").append(c.siblings()).append("'/>\n"));
            out.append("          </cpus>\n        </cell>\n");
        }
        return out.append("      </cells>\n    </topology>\n").toString();
    }
}
