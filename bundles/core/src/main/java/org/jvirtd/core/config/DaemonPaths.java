package org.jvirtd.core.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon keeps things, for system (root) or session (non-root) mode, per DESIGN.md's
 * table: config, persistent objects, live status, sockets, saves and leases, logs.
 */
public record DaemonPaths(boolean privileged, Path configDir, Path runDir, Path stateDir, Path logDir,
                          Path socketDir) {

    /**
     * The paths for this process. {@code root}, when set, prefixes the system layout (tests run a
     * whole daemon inside a folder); otherwise root gets the system layout and anyone else the session
     * layout from the XDG variables.
     */
    public static DaemonPaths resolve(String root, boolean privileged, Map<String, String> env, String home) {
        if (root != null && !root.isEmpty()) {
            Path base = Path.of(root).toAbsolutePath();
            return new DaemonPaths(true, base.resolve("etc/jvirtd"), base.resolve("run/jvirtd"),
                base.resolve("var/lib/jvirtd"), base.resolve("var/log/jvirtd"), base.resolve("run/libvirt"));
        }
        if (privileged) {
            return new DaemonPaths(true, Path.of("/etc/jvirtd"), Path.of("/run/jvirtd"),
                Path.of("/var/lib/jvirtd"), Path.of("/var/log/jvirtd"), Path.of("/run/libvirt"));
        }
        Path config = xdg(env, "XDG_CONFIG_HOME", home, ".config");
        Path data = xdg(env, "XDG_DATA_HOME", home, ".local/share");
        Path cache = xdg(env, "XDG_CACHE_HOME", home, ".cache");
        Path runtime = env.containsKey("XDG_RUNTIME_DIR") ? Path.of(env.get("XDG_RUNTIME_DIR")) : cache;
        return new DaemonPaths(false, config.resolve("jvirtd"), runtime.resolve("jvirtd"), data.resolve("jvirtd"),
            cache.resolve("jvirtd/log"), runtime.resolve("libvirt"));
    }

    private static Path xdg(Map<String, String> env, String variable, String home, String fallback) {
        String value = env.get(variable);
        return value != null && !value.isEmpty() ? Path.of(value) : Path.of(home, fallback);
    }

    /** The default daemon config file: jvirtd.conf in the config directory. */
    public Path daemonConfigFile() {
        return configDir.resolve("jvirtd.conf");
    }

    public Path readWriteSocket() {
        return socketDir.resolve("libvirt-sock");
    }

    public Path readOnlySocket() {
        return socketDir.resolve("libvirt-sock-ro");
    }

    public Path adminSocket() {
        return socketDir.resolve("libvirt-admin-sock");
    }
}
