package org.jvirtd.storage.logical;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.storage.PoolSource;

/**
 * The volume groups of this host as logical pool sources, read from what {@code pvs --noheadings -o
 * pv_name,vg_name} prints: one source per group, named after it, with its physical volumes as devices in
 * pvs's order and the lvm2 format, as libvirt lists them. Physical volumes in no group are left out.
 */
final class LvmSources {
    private LvmSources() {
    }

    static List<PoolSource> parse(String pvsOutput) {
        Map<String, List<PoolSource.Device>> groups = new LinkedHashMap<>();
        for (String line : pvsOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                continue;
            }
            groups.computeIfAbsent(fields[1], g -> new ArrayList<>()).add(new PoolSource.Device(fields[0], null));
        }
        List<PoolSource> sources = new ArrayList<>();
        groups.forEach((group, devices) -> sources.add(new PoolSource(List.of(), devices, null, null, group, null,
            "lvm2", null, null, null, null)));
        return sources;
    }
}
