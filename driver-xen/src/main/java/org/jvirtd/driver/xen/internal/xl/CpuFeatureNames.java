package org.jvirtd.driver.xen.internal.xl;

import java.util.Map;

/**
 * CPU feature names where libvirt's spelling differs from libxl's cpuid= spelling, both ways.
 */
public final class CpuFeatureNames {
    private static final Map<String, String> LIBVIRT_TO_LIBXL = Map.ofEntries(
        Map.entry("cx16", "cmpxchg16"), Map.entry("cid", "cntxid"), Map.entry("ds_cpl", "dscpl"),
        Map.entry("pclmuldq", "pclmulqdq"), Map.entry("pni", "sse3"), Map.entry("ht", "htt"),
        Map.entry("pn", "psn"), Map.entry("clflush", "clfsh"), Map.entry("sep", "sysenter"),
        Map.entry("cx8", "cmpxchg8"), Map.entry("nodeid_msr", "nodeid"), Map.entry("cr8legacy", "altmovcr8"),
        Map.entry("lahf_lm", "lahfsahf"), Map.entry("cmp_legacy", "cmplegacy"), Map.entry("fxsr_opt", "ffxsr"),
        Map.entry("pdpe1gb", "page1gb"), Map.entry("spec-ctrl", "ibrsb"));

    private CpuFeatureNames() {
    }

    public static String toLibxl(String libvirtName) {
        return LIBVIRT_TO_LIBXL.getOrDefault(libvirtName, libvirtName);
    }

    public static String toLibvirt(String libxlName) {
        return LIBVIRT_TO_LIBXL.entrySet().stream().filter(e -> e.getValue().equals(libxlName))
            .map(Map.Entry::getKey).findFirst().orElse(libxlName);
    }
}
