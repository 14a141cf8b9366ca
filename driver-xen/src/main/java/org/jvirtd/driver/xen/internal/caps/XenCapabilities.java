package org.jvirtd.driver.xen.internal.caps;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirtd.driver.xen.internal.toolstack.XlInfo;

/**
 * The capabilities XML (virConnectGetCapabilities) of a Xen host from {@code xl info -n}, laid out as libvirt
 * 9.0's libxl driver formats it: the host CPU's architecture, PAE and topology from hw_caps and the physinfo
 * counts, live migration, the "vif" interface prefix, one NUMA cell per numa_info row with its distances and
 * CPUs (siblings: same socket and core), then one guest per type xen_caps names (see {@link XenGuestTypes}).
 * Not reproduced: the CPU model, vendor and feature list libvirt decodes from hw_caps with its CPU map.
 */
public final class XenCapabilities {
    /** Where libxl's device model and firmware live (Xen's libexec bin and firmware directories). */
    public static final String EMULATOR = "/usr/lib/xen/bin/qemu-system-i386";
    public static final String HVMLOADER = "/usr/lib/xen/boot/hvmloader";

    /** hw_caps word 0 is CPUID leaf 1 EDX, whose bit 6 is PAE. */
    private static final long PAE = 1L << 6;

    private XenCapabilities() {
    }

    public static String xml(XlInfo info) {
        StringBuilder out = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n");
        out.append("      <arch>").append(info.machine()).append("</arch>\n");
        long[] hw = info.hwCaps();
        if (hw.length > 2 && hw[0] != 0) {
            if ((hw[0] & PAE) != 0) {
                out.append("      <features>\n        <pae/>\n      </features>\n");
            }
            int cores = info.number("cores_per_socket");
            int threads = info.number("threads_per_core");
            int sockets = info.number("nr_cpus") / Math.max(1, cores * threads);
            out.append("      <topology sockets='").append(sockets).append("' dies='1' cores='").append(cores)
                .append("' threads='").append(threads).append("'/>\n");
        }
        out.append("    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n")
            .append("    <migration_features>\n      <live/>\n    </migration_features>\n")
            .append("    <netprefix>vif</netprefix>\n");
        topology(out, info);
        out.append("  </host>\n\n");
        for (XenGuestTypes.Guest guest : XenGuestTypes.of(info.field("xen_caps"))) {
            guest(out, guest);
        }
        return out.append("</capabilities>\n").toString();
    }

    private static void topology(StringBuilder out, XlInfo info) {
        if (info.nodes().isEmpty()) {
            return;
        }
        out.append("    <topology>\n      <cells num='").append(info.nodes().size()).append("'>\n");
        for (XlInfo.Node node : info.nodes()) {
            out.append("        <cell id='").append(node.id()).append("'>\n");
            if (node.memMiB() > 0) {
                out.append("          <memory unit='KiB'>").append(node.memMiB() * 1024).append("</memory>\n");
            }
            if (!node.distances().isEmpty()) {
                out.append("          <distances>\n");
                for (int j = 0; j < node.distances().size(); j++) {
                    out.append("            <sibling id='").append(j).append("' value='")
                        .append(node.distances().get(j)).append("'/>\n");
                }
                out.append("          </distances>\n");
            }
            List<XlInfo.Cpu> cpus = new ArrayList<>();
            info.cpus().stream().filter(c -> c.node() == node.id()).forEach(cpus::add);
            out.append("          <cpus num='").append(cpus.size()).append("'>\n");
            for (XlInfo.Cpu cpu : cpus) {
                BitSet siblings = new BitSet();
                cpus.stream().filter(c -> c.socket() == cpu.socket() && c.core() == cpu.core())
                    .forEach(c -> siblings.set(c.id()));
                out.append("            <cpu id='").append(cpu.id()).append("' socket_id='").append(cpu.socket())
                    .append("' die_id='0' core_id='").append(cpu.core()).append("' siblings='")
                    .append(ranges(siblings)).append("'/>\n");
            }
            out.append("          </cpus>\n        </cell>\n");
        }
        out.append("      </cells>\n    </topology>\n");
    }

    private static void guest(StringBuilder out, XenGuestTypes.Guest guest) {
        out.append("  <guest>\n    <os_type>").append(guest.osType()).append("</os_type>\n")
            .append("    <arch name='").append(guest.arch()).append("'>\n")
            .append("      <wordsize>").append(guest.wordSize()).append("</wordsize>\n")
            .append("      <emulator>").append(EMULATOR).append("</emulator>\n");
        if (guest.hvm) {
            out.append("      <loader>").append(HVMLOADER).append("</loader>\n");
        }
        out.append("      <machine>").append(guest.machine()).append("</machine>\n")
            .append("      <domain type='xen'/>\n    </arch>\n");
        List<String> features = new ArrayList<>();
        if (guest.pae) {
            features.add("<pae/>");
        }
        if (guest.nonpae) {
            features.add("<nonpae/>");
        }
        if (guest.ia64be) {
            features.add("<ia64_be/>");
        }
        if (guest.hvm) {
            features.add("<acpi default='on' toggle='yes'/>");
            features.add("<apic default='on' toggle='no'/>");
        }
        if (guest.hvm || guest.pvh) {
            features.add("<hap default='on' toggle='yes'/>");
        }
        if (!features.isEmpty()) {
            out.append("    <features>\n");
            features.forEach(f -> out.append("      ").append(f).append('\n'));
            out.append("    </features>\n");
        }
        out.append("  </guest>\n\n");
    }

    /** A CPU set as libvirt writes it: "0-1,4". */
    static String ranges(BitSet set) {
        StringBuilder out = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i) - 1;
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(i);
            if (end > i) {
                out.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return out.toString();
    }
}
