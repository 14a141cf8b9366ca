package org.jvirtd.driver.qemu.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;

/**
 * The capabilities XML (virConnectGetCapabilities) for the host and the guests one QEMU binary runs.
 */
final class HostCapabilities {
    private HostCapabilities() {
    }

    static String xml(QemuCaps caps) {
        StringBuilder out = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>")
            .append(caps.arch()).append("</arch>\n    </cpu>\n  </host>\n\n  <guest>\n    <os_type>hvm</os_type>\n")
            .append("    <arch name='").append(caps.arch()).append("'>\n      <wordsize>64</wordsize>\n")
            .append("      <emulator>").append(caps.emulator()).append("</emulator>\n");
        Set<String> machines = new LinkedHashSet<>();
        caps.machines().stream().filter(m -> "tcg".equals(m.accel())).forEach(m -> machines.add(m.name()));
        machines.forEach(m -> out.append("      <machine>").append(m).append("</machine>\n"));
        out.append("      <domain type='qemu'/>\n");
        if (caps.has("kvm")) {
            out.append("      <domain type='kvm'/>\n");
        }
        return out.append("    </arch>\n  </guest>\n\n</capabilities>\n").toString();
    }
}
