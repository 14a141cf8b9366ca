package org.jvirtd.core.internal;

import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;

/**
 * The CPU model names libvirt 9.0's CPU drivers know per architecture (virConnectGetCPUModelNames): the x86
 * and ppc64 model lists in libvirt's order; the arm and s390 drivers accept any model and list none; every
 * other architecture libvirt knows has no CPU driver.
 */
final class CpuModels {
    private static final List<String> X86 = List.of("486", "pentium", "pentium2", "pentium3", "pentiumpro",
        "coreduo", "n270", "core2duo", "qemu32", "kvm32", "cpu64-rhel5", "cpu64-rhel6", "qemu64", "kvm64",
        "Conroe", "Penryn", "Nehalem", "Nehalem-IBRS", "Westmere", "Westmere-IBRS", "SandyBridge",
        "SandyBridge-IBRS", "IvyBridge", "IvyBridge-IBRS", "Haswell-noTSX", "Haswell-noTSX-IBRS", "Haswell",
        "Haswell-IBRS", "Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Broadwell", "Broadwell-IBRS",
        "Skylake-Client", "Skylake-Client-IBRS", "Skylake-Client-noTSX-IBRS", "Skylake-Server",
        "Skylake-Server-IBRS", "Skylake-Server-noTSX-IBRS", "Cascadelake-Server", "Cascadelake-Server-noTSX",
        "Icelake-Client", "Icelake-Client-noTSX", "Icelake-Server", "Icelake-Server-noTSX", "Cooperlake",
        "Snowridge", "athlon", "phenom", "Opteron_G1", "Opteron_G2", "Opteron_G3", "Opteron_G4", "Opteron_G5",
        "EPYC", "EPYC-IBPB", "EPYC-Rome", "EPYC-Milan", "Dhyana");
    private static final List<String> PPC64 = List.of("POWER6", "POWER7", "POWER8", "POWER9", "POWER10",
        "POWERPC_e5500", "POWERPC_e6500");
    private static final Set<String> ANY_MODEL = Set.of("armv6l", "armv7l", "armv7b", "aarch64", "s390", "s390x");
    /** virArch's names: the architectures libvirt knows at all. */
    private static final Set<String> KNOWN = Set.of("alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris",
        "i686", "ia64", "lm32", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el",
        "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64", "s390",
        "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb");

    private CpuModels() {
    }

    static List<String> names(String arch) {
        return switch (arch) {
            case "x86_64", "i686" -> X86;
            case "ppc64", "ppc64le" -> PPC64;
            default -> {
                if (ANY_MODEL.contains(arch)) {
                    yield List.of();
                }
                if (!KNOWN.contains(arch)) {
                    throw VirtErrors.invalidArg(ErrorDomain.CPU, "cannot find architecture " + arch);
                }
                throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.CPU,
                    "'" + arch + "' architecture is not supported by CPU driver");
            }
        };
    }
}
