package org.jvirtd.driver.xen.internal.toolstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * What {@code xl info -n} says about the host: the "name : value" lines (libxl's physinfo and version info) and
 * the cpu_topology and numa_info tables, as xl 4.x prints them. Memory figures are in MiB, as xl prints them.
 */
public record XlInfo(Map<String, String> fields, List<Cpu> cpus, List<Node> nodes) {
    /** One row of cpu_topology: a CPU's core, socket and NUMA node. */
    public record Cpu(int id, int core, int socket, int node) {
    }

    /** One row of numa_info: a node's memory (MiB) and its distances to every node. */
    public record Node(int id, long memMiB, long freeMiB, List<Integer> distances) {
    }

    public static XlInfo parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<Cpu> cpus = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        String table = "";
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("cpu:") || trimmed.startsWith("node:") || trimmed.startsWith("No device topology")
                || trimmed.startsWith("device ") && !trimmed.contains(":")) {
                continue; // a table's column header
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.matches("\\d+")) {
                String[] cols = value.split("\\s+");
                if ("cpu_topology".equals(table) && cols.length == 3) {
                    cpus.add(new Cpu(Integer.parseInt(key), Integer.parseInt(cols[0]), Integer.parseInt(cols[1]),
                        Integer.parseInt(cols[2])));
                } else if ("numa_info".equals(table) && cols.length == 3) {
                    List<Integer> distances = new ArrayList<>();
                    for (String d : cols[2].split(",")) {
                        distances.add(Integer.parseInt(d));
                    }
                    nodes.add(new Node(Integer.parseInt(key), Long.parseLong(cols[0]), Long.parseLong(cols[1]),
                        List.copyOf(distances)));
                }
            } else if (key.matches("[0-9a-f]{4}") && "device topology".equals(table)) {
                continue; // a PCI device's node: not used
            } else if (value.isEmpty()) {
                table = key;
            } else {
                fields.put(key, value);
                table = "";
            }
        }
        if (!fields.containsKey("nr_cpus") || !fields.containsKey("xen_major")) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                "Failed to get node physical info from libxenlight ('xl info' printed no nr_cpus or xen_major)");
        }
        return new XlInfo(Map.copyOf(fields), List.copyOf(cpus), List.copyOf(nodes));
    }

    public String field(String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL, "'xl info' printed no " + name);
        }
        return value;
    }

    public int number(String name) {
        return Integer.parseInt(field(name));
    }

    /** The machine xl runs on (uname -m), which libvirt reports as the host's architecture. */
    public String machine() {
        return field("machine");
    }

    /** cpu_mhz as xl prints it ("2893.202"), whole MHz as libvirt's nodeinfo has it. */
    public int mhz() {
        String value = field("cpu_mhz");
        int dot = value.indexOf('.');
        return Integer.parseInt(dot < 0 ? value : value.substring(0, dot));
    }

    public long totalMemoryMiB() {
        return Long.parseLong(field("total_memory"));
    }

    public long freeMemoryMiB() {
        return Long.parseLong(field("free_memory"));
    }

    /** The hw_caps words (libxl's physinfo.hw_cap), each a 32-bit CPUID register. */
    public long[] hwCaps() {
        String[] words = field("hw_caps").split(":");
        long[] result = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            result[i] = Long.parseLong(words[i], 16);
        }
        return result;
    }

    /** max_cpu_id + 1: what libxl_get_max_cpus answers. */
    public int maxCpus() {
        return number("max_cpu_id") + 1;
    }
}
