package org.jvirtd.driver.qemu.internal.caps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads and writes libvirt's qemuCaps cache document (the format of the caps_*.xml test data), so probed
 * capabilities can be cached on disk and libvirt's recorded ones loaded.
 */
public final class QemuCapsXml {
    private QemuCapsXml() {
    }

    public static QemuCaps parse(String xml, String arch) {
        Element root = SafeXml.parseRoot(xml, "qemuCaps", ErrorDomain.QEMU, "qemuCaps");
        Set<String> flags = new LinkedHashSet<>();
        List<QemuCaps.Machine> machines = new ArrayList<>();
        List<QemuCaps.CpuModel> cpus = new ArrayList<>();
        String emulator = null;
        long version = 0;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getTagName()) {
                case "emulator" -> emulator = e.getTextContent().strip();
                case "version" -> version = Long.parseLong(e.getTextContent().strip());
                case "flag" -> flags.add(e.getAttribute("name"));
                case "machine" -> machines.add(new QemuCaps.Machine(e.getAttribute("type"), e.getAttribute("name"),
                    attr(e, "alias"), "yes".equals(e.getAttribute("default")), attr(e, "defaultCPU"),
                    attr(e, "defaultRAMid"), e.hasAttribute("maxCpus") ? Integer.parseInt(e.getAttribute("maxCpus")) : 1,
                    "yes".equals(e.getAttribute("numaMemSupported"))));
                case "cpu" -> cpus.add(new QemuCaps.CpuModel(e.getAttribute("type"), e.getAttribute("name"),
                    attr(e, "typename"), !"no".equals(e.getAttribute("usable"))));
                default -> {
                }
            }
        }
        return new QemuCaps(emulator, arch, version, flags, machines, cpus);
    }

    private static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    public static String format(QemuCaps caps) {
        StringBuilder out = new StringBuilder("<qemuCaps>\n");
        out.append("  <emulator>").append(escape(caps.emulator())).append("</emulator>\n");
        caps.flags().stream().sorted().forEach(f -> out.append("  <flag name='").append(escape(f)).append("'/>\n"));
        out.append("  <version>").append(caps.version()).append("</version>\n");
        for (QemuCaps.CpuModel c : caps.cpuModels()) {
            out.append("  <cpu type='").append(c.accel()).append("' name='").append(escape(c.name()))
                .append("' typename='").append(escape(c.typeName())).append("' usable='")
                .append(c.usable() ? "yes" : "no").append("'/>\n");
        }
        for (QemuCaps.Machine m : caps.machines()) {
            out.append("  <machine type='").append(m.accel()).append("' name='").append(escape(m.name())).append('\'');
            if (m.alias() != null) {
                out.append(" alias='").append(escape(m.alias())).append('\'');
            }
            out.append(" maxCpus='").append(m.maxCpus()).append('\'');
            if (m.isDefault()) {
                out.append(" default='yes'");
            }
            if (m.defaultCpuType() != null) {
                out.append(" defaultCPU='").append(escape(m.defaultCpuType())).append('\'');
            }
            if (m.numaMemSupported()) {
                out.append(" numaMemSupported='yes'");
            }
            if (m.defaultRamId() != null) {
                out.append(" defaultRAMid='").append(escape(m.defaultRamId())).append('\'');
            }
            out.append("/>\n");
        }
        return out.append("</qemuCaps>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }
}
