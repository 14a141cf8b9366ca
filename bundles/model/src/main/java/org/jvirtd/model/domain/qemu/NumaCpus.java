package org.jvirtd.model.domain.qemu;

import java.util.BitSet;
import java.util.List;

import org.jvirtd.model.domain.CpuSets;
import org.jvirtd.model.internal.XmlNode;

/**
 * vCPUs that no guest NUMA cell lists join cell 0, as libvirt's QEMU driver rectifies a topology that leaves
 * some out (QEMU would place them itself).
 */
final class NumaCpus {
    private NumaCpus() {
    }

    static void apply(Guest guest) {
        XmlNode cpu = guest.root.child("cpu");
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        List<XmlNode> cells = numa == null ? List.of() : numa.children("cell");
        String vcpuText = guest.root.childText("vcpu");
        if (cells.isEmpty() || vcpuText == null || !vcpuText.strip().matches("\\d{1,5}")) {
            return;
        }
        int vcpus = Integer.parseInt(vcpuText.strip());
        BitSet listed = new BitSet();
        try {
            for (XmlNode cell : cells) {
                if (cell.attr("cpus") != null && !cell.attr("cpus").isBlank()) {
                    listed.or(CpuSets.parse(cell.attr("cpus")));
                }
            }
        } catch (NumberFormatException e) {
            return; // validation reports it
        }
        if (listed.cardinality() >= vcpus) {
            return;
        }
        XmlNode first = cells.get(0);
        BitSet cell0 = first.attr("cpus") == null || first.attr("cpus").isBlank() ? new BitSet()
            : CpuSets.parse(first.attr("cpus"));
        for (int id = 0; id < vcpus; id++) {
            if (!listed.get(id)) {
                cell0.set(id);
            }
        }
        first.set("cpus", CpuSets.format(cell0));
    }
}
