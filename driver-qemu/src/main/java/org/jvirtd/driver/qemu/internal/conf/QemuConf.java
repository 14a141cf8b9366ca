package org.jvirtd.driver.qemu.internal.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.platform.conf.ConfFile;

/**
 * The qemu.conf settings the driver uses, plus the host facts a command line depends on (directories,
 * environment), and which of libvirt's three renderings of a command line is wanted ({@link ArgvMode}).
 * {@code swtpmUser}/{@code swtpmGroup} are whom a root daemon runs the TPM emulator as (qemu.conf's swtpm_user
 * and swtpm_group, libvirt's default tss).
 */
public record QemuConf(String user, String group, String vncListen, String spiceListen,
                       boolean vncAutoUnixSocket, boolean spiceAutoUnixSocket, boolean spiceTls, String spiceTlsDir,
                       String vncPassword, String spicePassword, int displayPortMin,
                       List<HugetlbfsMount> hugetlbfs, Path libDir, Map<String, String> hostEnv,
                       boolean dynamicOwnership, ArgvMode argvMode, String swtpmUser, String swtpmGroup) {

    /** What a command line is built for; they differ only in how host resources reach QEMU. */
    public enum ArgvMode {
        /** The command jvirtd runs: sockets by path, TAP devices by name, QEMU daemonizes itself. */
        LAUNCH,
        /**
         * virConnectDomainXMLToNative: nothing is opened or reserved; TAP devices as descriptors, sockets by
         * path, graphics autoports at their first candidate.
         */
        NATIVE,
        /** libvirt's qemuxml2argv test environment: fixed descriptor numbers stand in for sockets, files, taps. */
        TEST_SUITE
    }

    /** A hugetlbfs mount and its page size; the default one serves pages of unspecified size. */
    public record HugetlbfsMount(String path, long pageSizeKiB, boolean isDefault) {
    }

    public QemuConf {
        hugetlbfs = List.copyOf(hugetlbfs);
        hostEnv = Map.copyOf(hostEnv);
    }

    /** Reads qemu.conf (libvirt syntax) for a real daemon whose per-domain directories live in {@code libDir}. */
    public static QemuConf read(ConfFile file, Path libDir, Map<String, String> hostEnv,
                                List<HugetlbfsMount> detectedHugetlbfs) {
        return new QemuConf(file.string("user", null), file.string("group", null),
            file.string("vnc_listen", "127.0.0.1"), file.string("spice_listen", "127.0.0.1"),
            file.bool("vnc_auto_unix_socket", false), file.bool("spice_auto_unix_socket", false),
            file.bool("spice_tls", false), file.string("spice_tls_x509_cert_dir", "/etc/pki/libvirt-spice"),
            file.string("vnc_password", null), file.string("spice_password", null),
            (int) file.number("remote_display_port_min", 5900), hugetlbfs(file, detectedHugetlbfs), libDir, hostEnv,
            file.bool("dynamic_ownership", true), ArgvMode.LAUNCH, file.string("swtpm_user", "tss"),
            file.string("swtpm_group", "tss"));
    }

    private static List<HugetlbfsMount> hugetlbfs(ConfFile file, List<HugetlbfsMount> detected) {
        List<String> configured = file.strings("hugetlbfs_mount", List.of());
        if (configured.isEmpty()) {
            return detected;
        }
        return detected.stream().filter(m -> configured.contains(m.path())).toList();
    }

    /** The same settings with per-domain directories under another directory. */
    public QemuConf withLibDir(Path dir) {
        return new QemuConf(user, group, vncListen, spiceListen, vncAutoUnixSocket, spiceAutoUnixSocket, spiceTls,
            spiceTlsDir, vncPassword, spicePassword, displayPortMin, hugetlbfs, dir, hostEnv, dynamicOwnership,
            argvMode, swtpmUser, swtpmGroup);
    }

    /** The same settings rendering for virConnectDomainXMLToNative, with per-domain directories under {@code dir}. */
    public QemuConf forNative(Path dir) {
        return new QemuConf(user, group, vncListen, spiceListen, vncAutoUnixSocket, spiceAutoUnixSocket, spiceTls,
            spiceTlsDir, vncPassword, spicePassword, displayPortMin, hugetlbfs, dir, hostEnv, dynamicOwnership,
            ArgvMode.NATIVE, swtpmUser, swtpmGroup);
    }

    /** libvirt's test mode: fixed descriptor numbers for everything the daemon would open. */
    public boolean pretend() {
        return argvMode == ArgvMode.TEST_SUITE;
    }

    /** Where a guest's file-backed RAM goes: {@code <libDir>/ram/<id>-<short name>}, as libvirt's memory_backing_dir. */
    public Path memoryBackingDir(int id, String name) {
        String shortName = name.length() > 20 ? name.substring(0, 20) : name;
        return libDir.resolve("ram").resolve(id + "-" + shortName);
    }

    /**
     * Where a guest's unix channel sockets with no path of their own go (the guest agent's):
     * {@code <libDir>/channel/target/domain-<id>-<short name>}, as libvirt's channelTargetDir.
     */
    public Path channelDir(int id, String name) {
        return libDir.resolve("channel/target").resolve(privateDir(id, name).getFileName());
    }

    /**
     * The control socket of a guest's TPM emulator (swtpm): {@code <libDir>/swtpm/<id>-<short name>-swtpm.sock},
     * as libvirt's /run/libvirt/qemu/swtpm; its pid file beside it ends in {@code .pid}.
     */
    public Path swtpmSocket(int id, String name) {
        String shortName = name.length() > 20 ? name.substring(0, 20) : name;
        return libDir.resolve("swtpm").resolve(id + "-" + shortName + "-swtpm.sock");
    }

    /** The socket of the virtiofsd the driver starts for a virtiofs share: {@code <alias>-fs.sock} in the private directory. */
    public Path virtiofsSocket(int id, String name, String alias) {
        return privateDir(id, name).resolve(alias + "-fs.sock");
    }

    /** The per-domain private directory: {@code <libDir>/domain-<id>-<first 20 chars of name>}. */
    public Path privateDir(int id, String name) {
        String shortName = name.length() > 20 ? name.substring(0, 20) : name;
        return libDir.resolve("domain-" + id + "-" + shortName);
    }

    public boolean dropsPrivileges() {
        return user != null && !user.isEmpty() && !"root".equals(user);
    }
}
