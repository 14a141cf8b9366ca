package org.jvirtd.driver.qemu.internal.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.process.CgroupTunables;
import org.jvirtd.model.domain.DomainEditor;

/**
 * Gives a freshly started QEMU's cgroup what its definition asks for: {@code <memtune>} limits and the
 * {@code <cputune>} shares and global period/quota and the {@code <blkiotune>} weight (libvirt applies these at
 * start too), the kernel's defaults
 * for the rest.
 */
final class DefinedTunables {
    private DefinedTunables() {
    }

    static void apply(List<Path> cgroups, String xml) {
        if (cgroups.isEmpty()) {
            return;
        }
        DomainEditor def = DomainEditor.of(xml);
        CgroupTunables tunables = new CgroupTunables(cgroups);
        try {
            tunables.reset();
        } catch (VirtException e) {
            // the defaults are a courtesy to a reused group; only what the definition asks for must take
            System.getLogger(DefinedTunables.class.getName()).log(System.Logger.Level.WARNING,
                "cannot reset the cgroup of a new QEMU to the defaults: " + e.getMessage());
        }
        Map<String, Long> memory = new LinkedHashMap<>();
        for (String field : List.of("hard_limit", "soft_limit", "swap_hard_limit")) {
            Long kib = def.memtuneKiB(field);
            if (kib != null) {
                memory.put(field, kib);
            }
        }
        if (!memory.isEmpty()) {
            tunables.setMemory(memory);
        }
        Long shares = number(def.tunable("cputune", "shares"));
        Long period = number(def.tunable("cputune", "global_period"));
        Long quota = number(def.tunable("cputune", "global_quota"));
        if (shares != null || period != null || quota != null) {
            tunables.setScheduler(shares, period, quota);
        }
        Long weight = number(def.tunable("blkiotune", "weight"));
        if (weight != null) {
            tunables.setBlkioWeight(weight.intValue());
        }
    }

    private static Long number(String text) {
        return text == null ? null : Long.parseLong(text);
    }
}
