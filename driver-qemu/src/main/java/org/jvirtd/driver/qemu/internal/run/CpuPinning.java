package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.platform.host.Affinity;

/**
 * Where a guest's threads may run: each vCPU thread (QEMU names them in query-cpus-fast) pinned by
 * {@code <vcpupin>} or virDomainPinVcpu, and every other thread of the QEMU process, the emulator's, by
 * {@code <emulatorpin>} or virDomainPinEmulator; set with sched_setaffinity as libvirt does without cpuset
 * cgroups.
 */
public final class CpuPinning {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private CpuPinning() {
    }

    /** The definition's pins, applied to a QEMU that has not yet run its guest. */
    static void apply(QemuRun run, DomainDef def) {
        for (Map.Entry<Integer, BitSet> pin : def.vcpuPins().entrySet()) {
            if (vcpuThreads(run).containsKey(pin.getKey())) {
                vcpu(run, pin.getKey(), pin.getValue());
            }
        }
        BitSet emulator = def.emulatorPin();
        if (emulator != null) {
            emulator(run, emulator);
        }
    }

    public static void vcpu(QemuRun run, int vcpu, BitSet cpus) {
        Long tid = vcpuThreads(run).get(vcpu);
        if (tid == null) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "vcpu " + vcpu + " is not online");
        }
        set(tid, cpus);
    }

    public static void emulator(QemuRun run, BitSet cpus) {
        Set<Long> vcpus = Set.copyOf(vcpuThreads(run).values());
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(run.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                long tid = Long.parseLong(task.getFileName().toString());
                if (!vcpus.contains(tid)) {
                    set(tid, cpus);
                }
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot list the threads of process " + run.pid(), e);
        }
    }

    private static void set(long tid, BitSet cpus) {
        try {
            Affinity.set(tid, cpus);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, e.getMessage(), e);
        }
    }

    /** vCPU number to thread id, from query-cpus-fast. */
    @SuppressWarnings("unchecked")
    private static Map<Integer, Long> vcpuThreads(QemuRun run) {
        List<Map<String, Object>> cpus = (List<Map<String, Object>>) run.qmp().execute("query-cpus-fast", null,
            TIMEOUT);
        return cpus.stream().collect(Collectors.toMap(c -> ((Number) c.get("cpu-index")).intValue(),
            c -> ((Number) c.get("thread-id")).longValue()));
    }
}
