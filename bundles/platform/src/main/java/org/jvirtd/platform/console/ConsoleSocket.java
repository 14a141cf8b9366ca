package org.jvirtd.platform.console;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a daemon instance listens for the operator shell: {@code shell-sock} in its run directory, by
 * the rules of core's DaemonPaths: {@code DIR/run/jvirtd} under {@code --root DIR}, {@code /run/jvirtd}
 * for root, {@code $XDG_RUNTIME_DIR/jvirtd} (else {@code ~/.cache/jvirtd}) for a session daemon.
 */
public final class ConsoleSocket {
    public static final String NAME = "shell-sock";

    private ConsoleSocket() {
    }

    public static Path in(Path runDir) {
        return runDir.resolve(NAME);
    }

    public static Path of(String root, boolean privileged, Map<String, String> env, String home) {
        if (root != null && !root.isEmpty()) {
            return in(Path.of(root).toAbsolutePath().resolve("run/jvirtd"));
        }
        if (privileged) {
            return in(Path.of("/run/jvirtd"));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        String cache = env.get("XDG_CACHE_HOME");
        Path base = runtime != null && !runtime.isEmpty() ? Path.of(runtime)
            : cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(home, ".cache");
        return in(base.resolve("jvirtd"));
    }
}
