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
     * @param stripAliases turn each machine alias into a machine of its own, as libvirt's tests do for their
     *                     "latest" capabilities, so that short names such as "pc" are no longer expanded
     */
    public static QemuCaps parse(String xml, boolean stripAliases) {
        XmlNode root = XmlNode.parse(xml, ErrorDomain.QEMU, "qemu_capabilities");
        Set<String> flags = new LinkedHashSet<>();
        root.children("flag").forEach(f -> flags.add(f.attr("name")));
        List<QemuMachine> machines = new ArrayList<>();
        List<QemuMachine> aliases = new ArrayList<>();
        for (XmlNode m : root.children("machine")) {
            String alias = m.attr("alias");
            boolean preferred = "yes".equals(m.attr("default"));
            machines.add(new QemuMachine(m.attr("type"), m.attr("name"), stripAliases ? null : alias, preferred,
                m.attr("defaultCPU")));
            if (stripAliases && alias != null) {
                aliases.add(new QemuMachine(m.attr("type"), alias, null, preferred, m.attr("defaultCPU")));
            }
        }
        machines.addAll(aliases);
        List<QemuCpuModel> cpus = new ArrayList<>();
        for (XmlNode c : root.children("cpu")) {
            if (c.attr("typename") != null) {
                cpus.add(new QemuCpuModel(c.attr("type"), c.attr("name"), c.attr("typename")));
            }
        }
        List<QemuGicVersion> gics = new ArrayList<>();
        for (XmlNode g : root.children("gic")) {
            gics.add(new QemuGicVersion(Integer.parseInt(g.attr("version")), "yes".equals(g.attr("kernel")),
                "yes".equals(g.attr("emulated"))));
        }
        String arch = root.childText("arch");
        return new QemuCaps(arch == null ? null : arch.strip(), flags, machines, cpus, gics, null);
    }
}
