package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.w3c.dom.Element;

/**
 * Virtual NUMA in xl.cfg: {@code vnuma = [ [ "pnode=N", "size=MiB", "vcpus=LIST", "vdistances=D,D,..." ], ... ]},
 * one list per guest cell, to and from the {@code <cpu><numa>} cells of domain XML.
 */
final class XlNuma {
    private static final int LOCAL_DISTANCE = 10;
    private static final int REMOTE_DISTANCE = 20;

    private XlNuma() {
    }

    /**
     * Writes the cells. A distance the XML leaves out is the reverse one where given (distances are symmetric),
     * otherwise 10 for a cell to itself and 20 to any other, as libvirt completes them while parsing.
     */
    static void format(XlConfig cfg, Element numa) {
        List<Element> cells = children(numa, "cell");
        if (cells.isEmpty()) {
            return;
        }
        int n = cells.size();
        Integer[][] given = new Integer[n][n];
        for (int i = 0; i < n; i++) {
            for (Element sibling : children(child(cells.get(i), "distances"), "sibling")) {
                int j = Integer.parseInt(attr(sibling, "id"));
                if (j >= 0 && j < n) {
                    given[i][j] = Integer.parseInt(attr(sibling, "value"));
                }
            }
        }
        List<Object> vnuma = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Element cell = cells.get(i);
            List<String> distances = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                Integer d = given[i][j] != null ? given[i][j] : given[j][i];
                distances.add(Integer.toString(d != null ? d : i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE));
            }
            vnuma.add(List.of("pnode=" + i, "size=" + Long.parseLong(attr(cell, "memory")) / 1024,
                "vcpus=" + attr(cell, "cpus"), "vdistances=" + String.join(",", distances)));
        }
        cfg.set("vnuma", vnuma);
    }

    /** The cells of a vnuma setting; {@code vcpus[0]} receives how many vCPUs the cells name. */
    static List<Cell> parse(XlConfig cfg) {
        List<?> nodes = cfg.list("vnuma");
        int count = (int) nodes.stream().takeWhile(List.class::isInstance).count();
        List<Cell> cells = new ArrayList<>();
        for (int index = 0; index < nodes.size(); index++) {
            int pnode = -1;
            String cpus = null;
            long kib = 0;
            List<String> distances = List.of();
            if (nodes.get(index) instanceof List<?> entries) {
                for (Object entry : entries) {
                    if (!(entry instanceof String str)) {
                        break;
                    }
                    int eq = str.lastIndexOf('=');
                    if (eq < 0) {
                        throw XenConversionErrors.internal("vnuma vnode invalid format '" + str + "'");
                    }
                    String data = str.substring(eq + 1);
                    if (data.isEmpty()) {
                        continue;
                    }
                    if (str.startsWith("pnode")) {
                        if (!data.matches("\\d+") || Integer.parseInt(data) >= count) {
                            throw XenConversionErrors.unsupported("vnuma vnode " + index
                                + " contains invalid pnode value '" + data + "'");
                        }
                        pnode = Integer.parseInt(data);
                    } else if (str.startsWith("size")) {
                        kib = Long.parseLong(data) * 1024;
                    } else if (str.startsWith("vcpus")) {
                        cpus = data;
                    } else if (str.startsWith("vdistances")) {
                        distances = List.of(data.split(","));
                        if (distances.size() != count) {
                            throw XenConversionErrors.unsupported("vnuma pnode " + pnode + " configured '" + str
                                + "' (count " + distances.size() + ") doesn't fit the number of specified vnodes "
                                + count);
                        }
                    } else {
                        throw XenConversionErrors.syntax("Invalid vnuma configuration for vnode " + index);
                    }
                }
            }
            if (pnode < 0 || cpus == null || kib == 0) {
                throw XenConversionErrors.syntax("Incomplete vnuma configuration for vnode " + index);
            }
            cells.add(new Cell(cpus, kib, distances));
        }
        return cells;
    }

    /** How many vCPUs a cpus list such as "0-1,4" names. */
    static int countCpus(String cpus) {
        BitSet set = new BitSet();
        for (String part : cpus.split(",")) {
            String[] range = part.strip().split("-");
            int from = Integer.parseInt(range[0].strip());
            int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
            set.set(from, to + 1);
        }
        return set.cardinality();
    }

    /** One guest cell: its vCPUs, memory in KiB and distances to every cell. */
    record Cell(String cpus, long kib, List<String> distances) {
        void write(XmlText xml, int id) {
            String[] attrs = {"id", Integer.toString(id), "cpus", cpus, "memory", Long.toString(kib), "unit", "KiB"};
            if (distances.isEmpty()) {
                xml.empty("cell", attrs);
                return;
            }
            xml.open("cell", attrs).open("distances");
            for (int i = 0; i < distances.size(); i++) {
                xml.empty("sibling", "id", Integer.toString(i), "value", distances.get(i).strip());
            }
            xml.close().close();
        }
    }
}
