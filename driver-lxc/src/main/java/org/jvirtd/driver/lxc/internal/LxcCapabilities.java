package org.jvirtd.driver.lxc.internal;

/**
 * The capabilities XML of the LXC driver (virConnectGetCapabilities): the host's architecture and guests of
 * os type exe for it (and i686 on x86_64), with libvirt's emulator path, as libvirt's LXC driver reports them.
 */
final class LxcCapabilities {
    private LxcCapabilities() {
    }

    static String xml(String javaArch) {
        String arch = "amd64".equals(javaArch) || "x86_64".equals(javaArch) ? "x86_64"
            : "aarch64".equals(javaArch) ? "aarch64" : javaArch;
        StringBuilder out = new StringBuilder("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>").append(arch)
            .append("</arch>\n    </cpu>\n    <secmodel>\n      <model>none</model>\n      <doi>0</doi>\n"
                + "    </secmodel>\n  </host>\n\n");
        guest(out, arch, 64);
        if ("x86_64".equals(arch)) {
            guest(out, "i686", 32);
        }
        return out.append("</capabilities>\n").toString();
    }

    private static void guest(StringBuilder out, String arch, int wordsize) {
        out.append("  <guest>\n    <os_type>exe</os_type>\n    <arch name='").append(arch).append("'>\n")
            .append("      <wordsize>").append(wordsize).append("</wordsize>\n")
            .append("      <emulator>/usr/libexec/libvirt_lxc</emulator>\n      <domain type='lxc'/>\n")
            .append("    </arch>\n  </guest>\n\n");
    }

    /** A kernel release ("6.1.0-18-amd64") as libvirt encodes versions: major * 1,000,000 + minor * 1,000 + micro. */
    static long kernelVersion(String release) {
        String[] parts = release.split("[^0-9]+");
        long v = 0;
        for (int i = 0; i < 3; i++) {
            v = v * 1000 + (i < parts.length && !parts[i].isEmpty() ? Long.parseLong(parts[i]) : 0);
        }
        return v;
    }
}
