package org.jvirtd.model.domain.qemu;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.XmlNode;

/**
 * Reads libvirt's QEMU capabilities cache document ({@code <qemuCaps>}) into {@link QemuCaps}.
 */
public final class QemuCapsXml {
    private QemuCapsXml() {
    }

    /**
     * Parses a capabilities document.
     *
     * @param stripAliases drop the machine aliases, as libvirt's tests do for their "latest" capabilities
     */
    public static QemuCaps parse(String xml, boolean stripAliases) {
        XmlNode root = XmlNode.parse(xml, ErrorDomain.QEMU, "qemu_capabilities");
        Set<String> flags = new LinkedHashSet<>();
        root.children("flag").forEach(f -> flags.add(f.attr("name")));
        List<QemuMachine> machines = new ArrayList<>();
        for (XmlNode m : root.children("machine")) {
            machines.add(new QemuMachine(m.attr("type"), m.attr("name"), stripAliases ? null : m.attr("alias"),
                "yes".equals(m.attr("default")), m.attr("defaultCPU")));
        }
        List<QemuCpuModel> cpus = new ArrayList<>();
        for (XmlNode c : root.children("cpu")) {
            if (c.attr("typename") != null) {
                cpus.add(new QemuCpuModel(c.attr("type"), c.attr("name"), c.attr("typename")));
            }
        }
        String arch = root.childText("arch");
        return new QemuCaps(arch == null ? null : arch.strip(), flags, machines, cpus);
    }
}
