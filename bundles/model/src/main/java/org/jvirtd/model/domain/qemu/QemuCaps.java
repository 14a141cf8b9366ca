package org.jvirtd.model.domain.qemu;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a QEMU binary can do, as far as the post-parse pass needs it: its architecture, capability flags (libvirt's
 * names such as "piix3-usb-uhci"), machine types, CPU models, ARM GIC versions and its path (null for the
 * capabilities of libvirt's unit tests, whose binaries are /usr/bin/qemu-system-ARCH).
 */
public record QemuCaps(String arch, Set<String> flags, List<QemuMachine> machines, List<QemuCpuModel> cpuModels,
                       List<QemuGicVersion> gicVersions, String emulator) {

    public QemuCaps {
        flags = Set.copyOf(flags);
        machines = List.copyOf(machines);
        cpuModels = List.copyOf(cpuModels);
        gicVersions = List.copyOf(gicVersions);
    }

    /** Capabilities with flags only, like the fake capabilities of libvirt's unit tests. */
    public static QemuCaps ofFlags(String arch, Set<String> flags) {
        return new QemuCaps(arch, flags, List.of(), List.of(), List.of(), null);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The machine QEMU picks by default for the accelerator. */
    public Optional<QemuMachine> preferredMachine(String virtType) {
        return machines.stream().filter(m -> m.virtType().equals(virtType) && m.preferred()).findFirst();
    }

    /** The machine called {@code name} (by name or alias) for the accelerator. */
    public Optional<QemuMachine> machine(String virtType, String name) {
        return machines.stream()
            .filter(m -> m.virtType().equals(virtType) && (name.equals(m.name()) || name.equals(m.alias())))
            .findFirst();
    }

    /** The libvirt name of the machine's default CPU model, if QEMU reports one. */
    public Optional<String> defaultCpuModel(String virtType, String machineName) {
        return machine(virtType, machineName).map(QemuMachine::defaultCpuType)
            .flatMap(type -> cpuModels.stream()
                .filter(c -> c.virtType().equals(virtType) && c.typeName().equals(type))
                .map(QemuCpuModel::name).findFirst());
    }

    /** The highest GIC version usable for the accelerator (GICv3 is not offered to TCG guests), or 2. */
    public int gicVersion(String virtType) {
        return gicVersions.stream()
            .filter(g -> virtType.equals("kvm") ? g.kernel() : g.emulated() && g.version() != 3)
            .mapToInt(QemuGicVersion::version).max().orElse(2);
    }
}
