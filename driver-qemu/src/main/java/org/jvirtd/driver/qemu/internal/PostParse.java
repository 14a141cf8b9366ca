package org.jvirtd.driver.qemu.internal;

import java.util.List;
import java.util.Map;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.model.domain.DomainDef;
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
    /**
     * The last capabilities converted: a define converted the probed machine and CPU model lists anew for every
     * definition (garbage worth a few of its own definitions). Both sides are immutable; a new probe is a new object and converts again.
     */
    private static volatile Converted lastConverted;

    private record Converted(QemuCaps probed, org.jvirtd.model.domain.qemu.QemuCaps model) {
    }

    private PostParse() {
    }

    public static String apply(String xml, QemuCaps caps, Map<String, String> environment) {
        return apply(parseNew(xml), caps, environment);
    }

    /** The definition as the post-parse pass reads it: the persistent view, controllers in libvirt's order. */
    public static DomainDef parseNew(String xml) {
        return DomainXml.parse(xml, DomainXml.INACTIVE | DomainXml.NEW_DEFINITION);
    }

    /** The pass on a definition {@link #parseNew} read; {@code parsed} itself is left as it was. */
    public static String apply(DomainDef parsed, QemuCaps caps, Map<String, String> environment) {
        return DomainXml.format(QemuDomainDefaults.apply(parsed, modelCaps(caps),
            new QemuDefaultsConfig(false, false, environment, true)), -1, DomainXml.SECURE);
    }

    /** The probed capabilities in the post-parse pass's terms: the same flag names, machines and CPU models. */
    static org.jvirtd.model.domain.qemu.QemuCaps modelCaps(QemuCaps caps) {
        Converted last = lastConverted;
        if (last != null && last.probed() == caps) {
            return last.model();
        }
        org.jvirtd.model.domain.qemu.QemuCaps model = convert(caps);
        lastConverted = new Converted(caps, model);
        return model;
    }

    private static org.jvirtd.model.domain.qemu.QemuCaps convert(QemuCaps caps) {
        List<QemuMachine> machines = caps.machines().stream().map(m -> new QemuMachine(m.accel(), m.name(),
            m.alias(), m.isDefault(), m.defaultCpuType())).toList();
        List<QemuCpuModel> cpus = caps.cpuModels().stream().filter(c -> c.typeName() != null)
            .map(c -> new QemuCpuModel(c.accel(), c.name(), c.typeName())).toList();
        return new org.jvirtd.model.domain.qemu.QemuCaps(caps.arch(), caps.flags(), machines, cpus, List.of(),
            caps.emulator());
    }
}
