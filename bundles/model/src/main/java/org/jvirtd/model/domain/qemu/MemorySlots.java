package org.jvirtd.model.domain.qemu;

import java.util.HashSet;
import java.util.Set;

import org.jvirtd.model.internal.XmlNode;

/** DIMM and NVDIMM memory devices without an address get the first free slot, as libvirt's QEMU driver assigns. */
final class MemorySlots {
    private MemorySlots() {
    }

    static void apply(Guest guest) {
        Set<Integer> taken = new HashSet<>();
        for (XmlNode memory : guest.list("memory")) {
            XmlNode address = memory.child("address");
            if (address != null && "dimm".equals(address.attr("type")) && address.attr("slot") != null
                && address.attr("slot").strip().matches("\\d{1,9}")) {
                taken.add(Integer.parseInt(address.attr("slot").strip()));
            }
        }
        for (XmlNode memory : guest.list("memory")) {
            String model = memory.attr("model");
            if (!("dimm".equals(model) || "nvdimm".equals(model)) || memory.child("address") != null) {
                continue;
            }
            int slot = 0;
            while (taken.contains(slot)) {
                slot++;
            }
            taken.add(slot);
            memory.children().add(Nodes.element("address", "type", "dimm", "slot", Integer.toString(slot)));
        }
    }
}
