package org.jvirtd.driver.qemu.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the QEMU driver finds qemu.conf and keeps its capability cache and the guests' UEFI variable stores
 * (NVRAM, beside the cache as libvirt keeps them in /var/lib/libvirt/qemu/nvram), in the daemon's layout
 * (DESIGN.md's table): under the {@code jvirtd.root} prefix when set, the system layout for root,
 * the XDG layout otherwise.
 */
record QemuPaths(Path configFile, Path capsCacheDir) {
    /** The folder of NVRAM files the definitions do not name. */
    Path nvramDir() {
        return capsCacheDir.resolveSibling("nvram");
    }

    static QemuPaths resolve(String root, boolean privileged, Map<String, String> env, String home) {
        if (root != null && !root.isEmpty()) {
            Path base = Path.of(root).toAbsolutePath();
            return new QemuPaths(base.resolve("etc/jvirtd/qemu.conf"), base.resolve("var/lib/jvirtd/qemu/capabilities"));
        }
        if (privileged) {
            return new QemuPaths(Path.of("/etc/jvirtd/qemu.conf"), Path.of("/var/lib/jvirtd/qemu/capabilities"));
        }
        Path config = xdg(env, "XDG_CONFIG_HOME", home, ".config");
        Path data = xdg(env, "XDG_DATA_HOME", home, ".local/share");
        return new QemuPaths(config.resolve("jvirtd/qemu.conf"), data.resolve("jvirtd/qemu/capabilities"));
    }

    /** The daemon's jvirtd.conf: the file the launcher names (-f), else the one beside qemu.conf. */
    Path daemonConfig(String named) {
        return named != null && !named.isEmpty() ? Path.of(named) : configFile.resolveSibling("jvirtd.conf");
    }

    private static Path xdg(Map<String, String> env, String variable, String home, String fallback) {
        String value = env.get(variable);
        return value != null && !value.isEmpty() ? Path.of(value) : Path.of(home, fallback);
    }
}
