package org.jvirtd.driver.xen.internal.caps;

import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * The domain capabilities XML (virConnectGetDomainCapabilities) of a Xen PV (xenpv), PVH (xenpvh) or HVM (xenfv)
 * guest, as libvirt 9.0's libxl driver answers: fixed vCPU limits (128 for HVM, 512 otherwise, since Xen reports
 * none), a loader (OVMF, hvmloader) only for HVM, the disk, graphics and video models libxl drives, PCI and USB
 * host devices except for PVH, and no CPU modes. Pure: the answer depends on the arguments alone.
 */
public final class XenDomainCapabilities {
    /** The emulator libvirt names when none is asked for. */
    public static final String DEFAULT_EMULATOR = "/usr/bin/qemu-system-x86_64";
    /** The architecture names libvirt knows (virArch); any of them may be asked for. */
    private static final Set<String> ARCHITECTURES = Set.of("alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris",
        "i686", "ia64", "lm32", "loongarch64", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64",
        "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32",
        "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb");
    /** libvirt's libxl.conf default firmware list: OVMF, then hvmloader, which is always added. */
    public static final List<String> FIRMWARE = List.of("/usr/lib/xen/boot/ovmf.bin", XenCapabilities.HVMLOADER);

    private XenDomainCapabilities() {
    }

    /**
     * Arguments as virsh passes them, null for the defaults ({@code hostArch} for arch, xenpv, xen); checked in
     * libvirt's order (virt type, architecture, machine) and refused with its words.
     */
    public static String xml(String emulator, String arch, String machine, String virtType, String hostArch) {
        if (!blank(virtType) && !"xen".equals(virtType)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unknown virttype: " + virtType);
        }
        String a = blank(arch) ? hostArch : arch;
        if (!ARCHITECTURES.contains(a)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unknown architecture: " + a);
        }
        String path = emulator == null ? DEFAULT_EMULATOR : emulator;
        String m = blank(machine) ? "xenpv" : machine;
        if (!List.of("xenpv", "xenpvh", "xenfv").contains(m)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                "Xen only supports 'xenpv', 'xenpvh' and 'xenfv' machines");
        }
        StringBuilder out = new StringBuilder("<domainCapabilities>\n")
            .append("  <path>").append(path).append("</path>\n")
            .append("  <domain>xen</domain>\n")
            .append("  <machine>").append(m).append("</machine>\n")
            .append("  <arch>").append(a).append("</arch>\n")
            .append("  <vcpu max='").append("xenfv".equals(m) ? 128 : 512).append("'/>\n")
            .append("  <iothreads supported='no'/>\n")
            .append("  <os supported='yes'>\n");
        if ("xenfv".equals(m)) {
            out.append("    <loader supported='yes'>\n");
            FIRMWARE.forEach(f -> out.append("      <value>").append(f).append("</value>\n"));
            out.append("      <enum name='type'>\n        <value>rom</value>\n        <value>pflash</value>\n")
                .append("      </enum>\n      <enum name='readonly'>\n        <value>yes</value>\n      </enum>\n")
                .append("    </loader>\n");
        } else {
            out.append("    <loader supported='no'/>\n");
        }
        out.append("  </os>\n");
        out.append("""
              <cpu>
                <mode name='host-passthrough' supported='no'/>
                <mode name='maximum' supported='no'/>
                <mode name='host-model' supported='no'/>
                <mode name='custom' supported='no'/>
              </cpu>
              <devices>
                <disk supported='yes'>
                  <enum name='diskDevice'>
                    <value>disk</value>
                    <value>cdrom</value>
                  </enum>
                  <enum name='bus'>
                    <value>ide</value>
                    <value>scsi</value>
                    <value>xen</value>
                  </enum>
                  <enum name='model'/>
                </disk>
                <graphics supported='yes'>
                  <enum name='type'>
                    <value>sdl</value>
                    <value>vnc</value>
                    <value>spice</value>
                  </enum>
                </graphics>
                <video supported='yes'>
                  <enum name='modelType'>
                    <value>vga</value>
                    <value>cirrus</value>
                    <value>xen</value>
                  </enum>
                </video>
            """);
        if (!"xenpvh".equals(m)) {
            out.append("""
                    <hostdev supported='yes'>
                      <enum name='mode'>
                        <value>subsystem</value>
                      </enum>
                      <enum name='startupPolicy'>
                        <value>default</value>
                        <value>mandatory</value>
                        <value>requisite</value>
                        <value>optional</value>
                      </enum>
                      <enum name='subsysType'>
                        <value>usb</value>
                        <value>pci</value>
                      </enum>
                      <enum name='capsType'/>
                      <enum name='pciBackend'>
                        <value>xen</value>
                      </enum>
                    </hostdev>
                """);
        }
        return out.append("""
                  </devices>
                  <features>
                    <gic supported='no'/>
                    <vmcoreinfo supported='no'/>
                    <genid supported='no'/>
                    <sev supported='no'/>
                    <sgx supported='no'/>
                  </features>
                </domainCapabilities>
                """).toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
