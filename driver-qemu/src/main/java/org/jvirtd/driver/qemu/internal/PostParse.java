package org.jvirtd.driver.qemu.internal;

import java.util.List;
import java.util.Map;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.domain.qemu.QemuCpuModel;
import org.jvirtd.model.domain.qemu.QemuDefaultsConfig;
import org.jvirtd.model.domain.qemu.QemuDomainDefaults;
import org.jvirtd.model.domain.qemu.QemuMachine;

/**
 * The QEMU post-parse pass on every define and create, as libvirt runs it: machine type expansion, default
 * devices and controllers, CPU defaults and device addresses, decided by the capabilities probed from the
 * binary. What is stored (and what dumpxml shows) is its result.
 */
public final class PostParse {
    private PostParse() {
    }

    public static String apply(String xml, QemuCaps caps, Map<String, String> environment) {
        org.jvirtd.model.domain.qemu.QemuCaps modelCaps = modelCaps(caps);
        return DomainXml.format(QemuDomainDefaults.apply(DomainXml.parse(xml, DomainXml.INACTIVE | DomainXml.NEW_DEFINITION), modelCaps,
            new QemuDefaultsConfig(false, false, environment, true)), -1, DomainXml.SECURE);
    }

    /** The probed capabilities in the post-parse pass's terms: the same flag names, machines and CPU models. */
    static org.jvirtd.model.domain.qemu.QemuCaps modelCaps(QemuCaps caps) {
        List<QemuMachine> machines = caps.machines().stream().map(m -> new QemuMachine(m.accel(), m.name(),
            m.alias(), m.isDefault(), m.defaultCpuType())).toList();
        List<QemuCpuModel> cpus = caps.cpuModels().stream().filter(c -> c.typeName() != null)
            .map(c -> new QemuCpuModel(c.accel(), c.name(), c.typeName())).toList();
        return new org.jvirtd.model.domain.qemu.QemuCaps(caps.arch(), caps.flags(), machines, cpus, List.of(),
            caps.emulator());
    }
}
