package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * Parser defaults of libvirt's generic domain code that the QEMU round trip depends on: character device port
 * numbers, unix sockets without a path, NUMA cell ids, feature switches and units, CPU model fallback and SPICE
 * without any port.
 */
final class GenericGaps {
    private static final List<String> SWITCHED_FEATURES = List.of("hap", "pmu", "pvspinlock", "vmport", "htm",
        "nested-hv", "ccf-assist", "vmcoreinfo", "smm", "ps2", "async-teardown");

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
        if (cpu != null) {
            cpu.children("feature").forEach(f -> f.orderAttributes(List.of("policy", "name")));
            XmlNode model = cpu.child("model");
            if (model != null && model.text() != null && !model.text().isBlank() && !model.has("fallback")) {
                model.set("fallback", "allow");
                model.orderAttributes(List.of("fallback"));
            }
        }
        features(guest.root.child("features"));
        guest.list("graphics").forEach(GenericGaps::spiceWithoutPorts);
    }

    private static void features(XmlNode features) {
        if (features == null) {
            return;
        }
        XmlNode hyperv = features.child("hyperv");
        if (hyperv != null && !hyperv.has("mode")) {
            hyperv.set("mode", "custom");
        }
        for (XmlNode f : features.children()) {
            if (SWITCHED_FEATURES.contains(f.name()) && f.namespace() == null && !f.has("state")) {
                f.set("state", "on");
                f.orderAttributes(List.of("state"));
            }
        }
        XmlNode smm = features.child("smm");
        XmlNode tseg = smm == null ? null : smm.child("tseg");
        if (tseg != null && !tseg.has("unit")) {
            tseg.set("unit", "MiB");
        }
    }

    /** SPICE with no ports and no autoport listens nowhere: libvirt writes that as listen type none. */
    private static void spiceWithoutPorts(XmlNode g) {
        if (!"spice".equals(g.attr("type")) || "yes".equals(g.attr("autoport")) || nonZero(g.attr("port"))
            || nonZero(g.attr("tlsPort"))) {
            return;
        }
        XmlNode listen = g.child("listen");
        if (listen != null && "address".equals(listen.attr("type")) && !listen.has("address")) {
            listen.set("type", "none");
            g.set("listen", null);
        }
    }

    private static boolean nonZero(String port) {
        return port != null && !port.strip().equals("0");
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
