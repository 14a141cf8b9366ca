package org.jvirtd.driver.qemu.internal.caps;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one QEMU binary can do, in libvirt's terms: its version, capability flags, machine types and
 * CPU models per accelerator.
 */
public record QemuCaps(String emulator, String arch, long version, Set<String> flags, List<Machine> machines,
                       List<CpuModel> cpuModels) {

    /** A machine type as query-machines reports it, for one accelerator (kvm or tcg). */
    public record Machine(String accel, String name, String alias, boolean isDefault, String defaultCpuType,
                          String defaultRamId, int maxCpus, boolean numaMemSupported) {
        /** A machine type that takes NUMA nodes' memory only from backend objects ({@code -numa node,memdev=}). */
        public Machine(String accel, String name, String alias, boolean isDefault, String defaultCpuType,
                       String defaultRamId, int maxCpus) {
            this(accel, name, alias, isDefault, defaultCpuType, defaultRamId, maxCpus, false);
        }
    }

    /** A CPU model for one accelerator; {@code typeName} is its QOM type (qemu64-x86_64-cpu). */
    public record CpuModel(String accel, String name, String typeName, boolean usable) {
    }

    public QemuCaps {
        flags = Set.copyOf(flags);
        machines = List.copyOf(machines);
        cpuModels = List.copyOf(cpuModels);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The machine type a requested name (or alias) denotes for an accelerator. */
    public Optional<Machine> machine(String accel, String requested) {
        Optional<Machine> exact = machines.stream()
            .filter(m -> m.accel().equals(accel) && m.name().equals(requested)).findFirst();
        return exact.isPresent() ? exact : machines.stream()
            .filter(m -> m.accel().equals(accel) && requested.equals(m.alias())).findFirst();
    }

    /** The default machine type for an accelerator. */
    public Optional<Machine> defaultMachine(String accel) {
        return machines.stream().filter(m -> m.accel().equals(accel) && m.isDefault()).findFirst();
    }

    /** The CPU model name whose QOM type is given. */
    public Optional<String> cpuModelByType(String accel, String typeName) {
        return cpuModels.stream().filter(c -> c.accel().equals(accel) && c.typeName().equals(typeName))
            .map(CpuModel::name).findFirst();
    }

    public boolean knowsCpuModel(String accel, String name) {
        return cpuModels.stream().anyMatch(c -> c.accel().equals(accel) && c.name().equals(name));
    }

    /**
     * The same capabilities with every alias made a machine type of its own (a copy of what it aliases),
     * as libvirt's tests do for their "latest" capability sets.
     */
    public QemuCaps withAliasesAsMachines() {
        List<Machine> result = new java.util.ArrayList<>();
        for (Machine m : machines) {
            result.add(new Machine(m.accel(), m.name(), null, m.isDefault(), m.defaultCpuType(), m.defaultRamId(),
                m.maxCpus(), m.numaMemSupported()));
            if (m.alias() != null) {
                result.add(new Machine(m.accel(), m.alias(), null, false, m.defaultCpuType(), m.defaultRamId(),
                    m.maxCpus(), m.numaMemSupported()));
            }
        }
        return new QemuCaps(emulator, arch, version, flags, result, cpuModels);
    }
}
