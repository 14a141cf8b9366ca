package org.jvirtd.driver.xen.internal.libxl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.w3c.dom.Element;

/**
 * Guest NUMA cells as libxl's vnuma_nodes: memory, distances to every cell, the physical node (the cell's own
 * index, as libvirt maps them) and the vCPUs.
 */
final class LibxlNuma {
    private LibxlNuma() {
    }

    static List<Object> nodes(List<Element> cells) {
        int n = cells.size();
        List<Object> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Element cell = cells.get(i);
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("memkb", Long.parseLong(attr(cell, "memory")));
            Long[] distances = new Long[n];
            for (Element sibling : children(child(cell, "distances"), "sibling")) {
                int j = Integer.parseInt(attr(sibling, "id"));
                if (j >= 0 && j < n) {
                    distances[j] = Long.parseLong(attr(sibling, "value"));
                }
            }
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                row.add(distances[j] != null ? distances[j] : j == i ? 10L : 20L);
            }
            node.put("distances", row);
            node.put("pnode", (long) i);
            node.put("vcpus", cpus(attr(cell, "cpus")));
            nodes.add(node);
        }
        return nodes;
    }

    private static List<Object> cpus(String list) {
        List<Object> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.strip().split("-");
            long from = Long.parseLong(range[0].strip());
            long to = range.length > 1 ? Long.parseLong(range[1].strip()) : from;
            for (long c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }
}
