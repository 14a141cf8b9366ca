package org.jvirtd.driver.qemu.internal;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.platform.host.HostTopology;

/**
 * The capabilities XML (virConnectGetCapabilities) for the host and the guests one QEMU binary runs. Machine
 * types are listed as libvirt lists them: the default one first, each alias right after the machine type it
 * stands for (canonical='...'), each with its vCPU limit; tools take the first one as the default.
 */
final class HostCapabilities {
    /** The security driver jvirtd's QEMU guests run under: none, which labels nothing. */
    static final String SECURITY_MODEL = "none";
    static final String SECURITY_DOI = "0";

    private HostCapabilities() {
    }

    static String xml(QemuCaps caps) {
        return xml(caps, HostTopology.read());
    }

    /** The capabilities of the guests {@code caps} describes on a host of {@code host}'s NUMA topology. */
    static String xml(QemuCaps caps, HostTopology host) {
        StringBuilder out = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>")
            .append(caps.arch()).append("</arch>\n").append(host.cpuPagesXml()).append("    </cpu>\n")
            .append(host.topologyXml()).append("    <secmodel>\n      <model>").append(SECURITY_MODEL)
            .append("</model>\n      <doi>").append(SECURITY_DOI).append("</doi>\n    </secmodel>\n  </host>\n\n")
            .append("  <guest>\n    <os_type>hvm</os_type>\n")
            .append("    <arch name='").append(caps.arch()).append("'>\n      <wordsize>64</wordsize>\n")
            .append("      <emulator>").append(caps.emulator()).append("</emulator>\n");
        for (QemuCaps.Machine m : defaultFirst(caps)) {
            out.append("      <machine maxCpus='").append(m.maxCpus()).append("'>").append(m.name())
                .append("</machine>\n");
            if (m.alias() != null) {
                out.append("      <machine canonical='").append(m.name()).append("' maxCpus='").append(m.maxCpus())
                    .append("'>").append(m.alias()).append("</machine>\n");
            }
        }
        out.append("      <domain type='qemu'/>\n");
        if (caps.has("kvm")) {
            out.append("      <domain type='kvm'/>\n");
        }
        return out.append("""
                </arch>
                <features>
                  <acpi default='on' toggle='yes'/>
                  <apic default='on' toggle='no'/>
                  <cpuselection/>
                  <deviceboot/>
                  <disksnapshot default='on' toggle='no'/>
                </features>
              </guest>

            </capabilities>
            """).toString();
    }

    /** The TCG machine types in the probe's order, the default one moved to the front. */
    private static List<QemuCaps.Machine> defaultFirst(QemuCaps caps) {
        List<QemuCaps.Machine> result = new ArrayList<>();
        caps.machines().stream().filter(m -> "tcg".equals(m.accel()) && m.isDefault()).forEach(result::add);
        caps.machines().stream().filter(m -> "tcg".equals(m.accel()) && !m.isDefault()).forEach(result::add);
        return result;
    }
}
