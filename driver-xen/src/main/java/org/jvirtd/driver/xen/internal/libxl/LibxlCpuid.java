package org.jvirtd.driver.xen.internal.libxl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * libxl's cpuid policy as its JSON holds it: per CPUID leaf, each register as 32 characters, bit 31 first, where
 * '1' forces a bit on, '0' off and 'x' leaves it as the host has it. Knows the features of leaf 1 (EDX and ECX),
 * by libxl's names; a feature outside them is refused rather than dropped.
 */
final class LibxlCpuid {
    private record Bit(long leaf, String register, int bit) {
    }

    private static final Map<String, Bit> FEATURES = new LinkedHashMap<>();

    static {
        String[] edx = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cmpxchg8", "apic", null, "sysenter",
            "mtrr", "pge", "mca", "cmov", "pat", "pse36", "psn", "clfsh", null, "ds", "acpi", "mmx", "fxsr", "sse",
            "sse2", "ss", "htt", "tm", "ia64", "pbe"};
        String[] ecx = {"sse3", "pclmulqdq", "dtes64", "monitor", "dscpl", "vmx", "smx", "est", "tm2", "ssse3",
            "cntxid", null, "fma", "cmpxchg16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
            "movbe", "popcnt", "tsc-deadline", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"};
        for (int i = 0; i < 32; i++) {
            if (edx[i] != null) {
                FEATURES.put(edx[i], new Bit(1, "edx", i));
            }
            if (ecx[i] != null) {
                FEATURES.put(ecx[i], new Bit(1, "ecx", i));
            }
        }
    }

    private LibxlCpuid() {
    }

    /**
     * The cpuid list for {@code name=policy} pairs (libxl names; policy '1', '0' or 'x'), one entry per leaf in
     * the order leaves are first named.
     */
    static List<Object> policy(List<String[]> pairs) {
        Map<Long, Map<String, char[]>> leaves = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            Bit bit = FEATURES.get(pair[0]);
            if (bit == null) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                    "CPU feature '" + pair[0] + "' is not known to jvirtd's libxl cpuid table");
            }
            char[] mask = leaves.computeIfAbsent(bit.leaf(), l -> new LinkedHashMap<>())
                .computeIfAbsent(bit.register(), r -> "x".repeat(32).toCharArray());
            mask[31 - bit.bit()] = pair[1].charAt(0);
        }
        List<Object> out = new ArrayList<>();
        leaves.forEach((leaf, registers) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("leaf", leaf);
            registers.forEach((register, mask) -> entry.put(register, new String(mask)));
            out.add(entry);
        });
        return out;
    }
}
