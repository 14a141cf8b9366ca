package org.jvirtd.model.domain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import org.jvirtd.model.internal.XmlNode;

/**
 * The guest NUMA rules of libvirt's parser: cells by id with symmetric distances (a cell is 10 from itself, and
 * B is as far from A as A said it is from B), and the placement that ties {@code <vcpu>} and
 * {@code <numatune><memory>} together (automatic placement of either makes the other automatic unless anything
 * is pinned), memory nodes by cell id, node sets in canonical form.
 */
final class NumaRules {
    private static final String LOCAL_DISTANCE = "10";

    private NumaRules() {
    }

    static void apply(XmlNode root) {
        XmlNode cpu = root.child("cpu");
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        if (numa != null) {
            cells(numa);
        }
        placement(root);
    }

    private static void cells(XmlNode numa) {
        List<XmlNode> cells = numa.children("cell");
        if (cells.isEmpty() || cells.stream().anyMatch(c -> number(c.attr("id")) < 0)) {
            return; // left as written: validation reports it
        }
        List<XmlNode> sorted = cells.stream().sorted(Comparator.comparingInt(c -> number(c.attr("id")))).toList();
        int at = numa.children().indexOf(cells.get(0));
        numa.removeIf(c -> c.is("cell"));
        numa.children().addAll(at, sorted);
        if (sorted.stream().noneMatch(c -> c.child("distances") != null)) {
            return;
        }
        List<TreeMap<Integer, String>> distances = new ArrayList<>();
        for (XmlNode cell : sorted) {
            TreeMap<Integer, String> row = new TreeMap<>();
            XmlNode d = cell.child("distances");
            if (d != null) {
                for (XmlNode sibling : d.children("sibling")) {
                    if (number(sibling.attr("id")) >= 0 && sibling.attr("value") != null) {
                        row.put(number(sibling.attr("id")), sibling.attr("value"));
                    }
                }
            }
            distances.add(row);
        }
        for (int i = 0; i < sorted.size(); i++) {
            int id = number(sorted.get(i).attr("id"));
            distances.get(i).putIfAbsent(id, LOCAL_DISTANCE);
            for (var entry : new ArrayList<>(distances.get(i).entrySet())) {
                int other = indexOf(sorted, entry.getKey());
                if (other >= 0) {
                    distances.get(other).putIfAbsent(id, entry.getValue());
                }
            }
        }
        for (int i = 0; i < sorted.size(); i++) {
            XmlNode cell = sorted.get(i);
            XmlNode d = cell.child("distances");
            if (d == null) {
                d = new XmlNode("distances", null);
                cell.children().add(d);
            }
            d.removeIf(c -> c.is("sibling"));
            for (var entry : distances.get(i).entrySet()) {
                d.children().add(new XmlNode("sibling", null).set("id", Integer.toString(entry.getKey()))
                    .set("value", entry.getValue()));
            }
        }
    }

    private static int indexOf(List<XmlNode> cells, int id) {
        for (int i = 0; i < cells.size(); i++) {
            if (number(cells.get(i).attr("id")) == id) {
                return i;
            }
        }
        return -1;
    }

    private static void placement(XmlNode root) {
        XmlNode vcpu = root.child("vcpu");
        boolean vcpuAuto = vcpu != null && "auto".equals(vcpu.attr("placement"));
        XmlNode numatune = root.child("numatune");
        if (numatune == null && vcpuAuto) {
            numatune = new XmlNode("numatune", null);
            numatune.children().add(new XmlNode("memory", null).set("mode", "strict").set("placement", "auto"));
            root.children().add(numatune);
            return;
        }
        if (numatune == null) {
            return;
        }
        XmlNode memory = numatune.child("memory");
        if (memory != null) {
            if (!memory.has("nodeset") && !memory.has("placement") && vcpuAuto) {
                memory.set("placement", "auto");
            }
            if (memory.has("nodeset") && !memory.has("placement")) {
                memory.set("placement", null);
            }
            canonicalNodeset(memory);
            memory.orderAttributes(List.of("mode", "placement", "nodeset"));
            XmlNode cputune = root.child("cputune");
            boolean pinned = cputune != null && cputune.children().stream()
                .anyMatch(c -> c.is("vcpupin") || c.is("emulatorpin") || c.is("iothreadpin"));
            if ("auto".equals(memory.attr("placement")) && vcpu != null && !vcpu.has("cpuset") && !pinned) {
                vcpu.set("placement", "auto");
            }
        }
        List<XmlNode> memnodes = numatune.children("memnode");
        if (memnodes.stream().allMatch(m -> number(m.attr("cellid")) >= 0)) {
            memnodes.forEach(NumaRules::canonicalNodeset);
            List<XmlNode> byCell = memnodes.stream()
                .sorted(Comparator.comparingInt(m -> number(m.attr("cellid")))).toList();
            numatune.removeIf(c -> c.is("memnode"));
            numatune.children().addAll(byCell);
        }
    }

    private static void canonicalNodeset(XmlNode element) {
        String text = element.attr("nodeset");
        if (text == null) {
            return;
        }
        try {
            BitSet set = CpuSets.parse(text);
            if (!set.isEmpty()) {
                element.set("nodeset", CpuSets.format(set));
            }
        } catch (NumberFormatException e) {
            // left as written: validation reports it
        }
    }

    private static int number(String text) {
        return text != null && text.strip().matches("\\d{1,9}") ? Integer.parseInt(text.strip()) : -1;
    }
}
