package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * Parser defaults of libvirt's generic domain code that the QEMU round trip depends on: character device port
 * numbers, unix sockets without a path, NUMA cell ids and the Hyper-V enlightenment mode.
 */
final class GenericGaps {
    private GenericGaps() {
    }

    static void apply(Guest guest) {
        for (String kind : List.of("serial", "parallel")) {
            int max = -1;
            for (XmlNode chr : guest.list(kind)) {
                XmlNode target = Nodes.childOrNew(chr, "target", List.of("source", "protocol", "log"));
                if (!target.has("port")) {
                    target.set("port", Integer.toString(max + 1));
                }
                max = Math.max(max, ImplicitDevices.number(target.attr("port")));
                target.orderAttributes(List.of("type", "port"));
            }
        }
        List<XmlNode> consoles = guest.list("console");
        for (int i = 0; i < consoles.size(); i++) {
            XmlNode target = consoles.get(i).child("target");
            if (target != null && !target.has("port")) {
                target.set("port", Integer.toString(i));
                target.orderAttributes(List.of("type", "port"));
            }
        }
        for (String kind : List.of("serial", "parallel", "console", "channel")) {
            guest.list(kind).forEach(GenericGaps::unixWithoutPath);
        }
        XmlNode cpu = guest.root.child("cpu");
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        if (numa != null) {
            List<XmlNode> cells = numa.children("cell");
            for (int i = 0; i < cells.size(); i++) {
                if (!cells.get(i).has("id")) {
                    cells.get(i).set("id", Integer.toString(i));
                    cells.get(i).orderAttributes(List.of("id"));
                }
            }
        }
        XmlNode features = guest.root.child("features");
        XmlNode hyperv = features == null ? null : features.child("hyperv");
        if (hyperv != null && !hyperv.has("mode")) {
            hyperv.set("mode", "custom");
        }
    }

    /** libvirt writes no source for a unix socket without a path (one it generates when the guest starts). */
    private static void unixWithoutPath(XmlNode chr) {
        XmlNode source = chr.child("source");
        if ("unix".equals(chr.attr("type")) && source != null && !source.has("path")
            && source.children().isEmpty()) {
            chr.removeIf(c -> c == source);
        }
    }
}
