package org.jvirtd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts jvirtd: reads libvirtd's options, writes the pid file, and hands over to Felix with the
 * settings the bundles read (jvirtd.config, jvirtd.timeout, jvirtd.listen, jvirtd.root).
 *
 * <p>The Gogo shell is interactive on a terminal and headless otherwise (a daemon, a pipe without
 * commands, a service manager). Daemonizing itself (-d) is done by {@code bin/jvirtd}, since a JVM
 * cannot fork: the script starts this launcher detached and returns once the pid file is written.
 */
public final class Launcher {
    /** libvirtd's exit status when its configuration cannot be loaded (VIR_DAEMON_ERR_CONFIG). */
    private static final int CONFIG_ERROR = 7;

    private static final String STORAGE = "org.osgi.framework.storage";
    private static final String STORAGE_CLEAN = "org.osgi.framework.storage.clean";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jvirtd: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(1);
            return;
        }
        if (options.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        if (options.version()) {
            System.out.println("jvirtd (jvirtd) " + version() + " (libvirt 9.0.0 protocol)");
            return;
        }
        Path home = home();
        System.setProperty("jvirtd.home", home.toString());
        if (options.config() != null) {
            Path config = Path.of(options.config()).toAbsolutePath();
            if (!Files.isReadable(config)) {
                System.err.println("jvirtd: Can't load config file: Failed to open file '" + config
                    + "': No such file or directory: " + config);
                System.exit(CONFIG_ERROR);
            }
            try {
                org.jvirtd.platform.conf.ConfFile.read(config);
            } catch (org.jvirtd.api.VirtException e) {
                System.err.println("jvirtd: Can't load config file: " + e.getMessage());
                System.exit(CONFIG_ERROR);
            }
            System.setProperty("jvirtd.config", config.toString());
        }
        if (options.root() != null) {
            System.setProperty("jvirtd.root", Path.of(options.root()).toAbsolutePath().toString());
        }
        if (options.timeout() > 0) {
            System.setProperty("jvirtd.timeout", Long.toString(options.timeout()));
        }
        System.setProperty("jvirtd.listen", Boolean.toString(options.listen()));
        System.setProperty("jvirtd.verbose", Boolean.toString(options.verbose()));
        for (String define : options.rest()) {
            int eq = define.indexOf('=');
            System.setProperty(define.substring(2, eq < 0 ? define.length() : eq), eq < 0 ? "true" : define.substring(eq + 1));
        }
        configureLogging(options.verbose());
        // A terminal gets the interactive shell; commands piped in run as a script (the daemon stops at
        // the end of input); anything else (a service manager, /dev/null) runs headless.
        boolean readsShell = !options.daemon() && (System.console() != null || stdinIsScript());
        if (System.getProperty("gosh.args") == null) {
            System.setProperty("gosh.args", readsShell ? "" : "--nointeractive");
        }
        if (System.console() == null) {
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        System.setProperty("felix.config.properties", home.resolve("conf/config.properties").toUri().toString());
        if (System.getProperty("gosh.home") == null) {
            System.setProperty("gosh.home", home.toString());
        }

        Path pidPath = options.pidFile() != null ? Path.of(options.pidFile()).toAbsolutePath() : defaultPidFile(options);
        PidFile pidFile;
        try {
            pidFile = PidFile.acquire(pidPath);
        } catch (IOException e) {
            System.err.println("jvirtd: " + e.getMessage());
            System.exit(1);
            return;
        }
        BundleCache cache;
        try {
            cache = openBundleCache(options, home);
        } catch (IOException e) {
            System.err.println("jvirtd: " + e.getMessage());
            pidFile.close();
            System.exit(1);
            return;
        }
        String archive = System.getProperty("jvirtd.cds.archive");
        if (archive != null && !cache.throwaway()) {
            ClassArchive.writeLater(Path.of(archive));
        }
        // JLine finds its terminal providers through the context class loader; with the application loader
        // it cannot see the jline bundle and falls back to a dumb terminal.
        Thread.currentThread().setContextClassLoader(null);
        int status = new FelixRunner().run(pidFile, cache);
        System.exit(status);
    }

    /**
     * The instance's bundle cache, for Felix: reused when this installation filled it, cleared at
     * framework init otherwise. An explicit -Dorg.osgi.framework.storage wins (and is the caller's).
     */
    private static BundleCache openBundleCache(Options options, Path home) throws IOException {
        String explicit = System.getProperty(STORAGE);
        Path dir = explicit != null ? Path.of(explicit).toAbsolutePath()
            : BundleCache.location(options.root(), privileged(), System.getenv(), System.getProperty("user.home"));
        BundleCache cache = BundleCache.open(dir, home);
        System.setProperty(STORAGE, dir.toString());
        if (cache.current()) {
            System.setProperty(STORAGE_CLEAN, "none");
        } else {
            cache.invalidate();
            System.setProperty(STORAGE_CLEAN, "onFirstInit");
        }
        return cache;
    }

    /** Root gets the system layout, as core's HostIdentity decides it: uid 0. */
    static boolean privileged() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean stdinIsScript() {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            return target.toString().startsWith("pipe:") || Files.isRegularFile(target);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Path defaultPidFile(Options options) {
        if (options.root() != null) {
            return Path.of(options.root()).toAbsolutePath().resolve("run/jvirtd.pid");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            return Path.of("/run/jvirtd.pid");
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null ? Path.of(runtime) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jvirtd/jvirtd.pid");
    }

    private static void configureLogging(boolean verbose) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL%1$tz: %4$s : %3$s: %5$s%6$s%n");
        }
        Logger root = Logger.getLogger("");
        Level level = verbose ? Level.FINE : Level.INFO;
        root.setLevel(level);
        for (var handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }

    /** The distribution's root: the folder above bin/ where this jar lives. */
    static Path home() throws URISyntaxException {
        String override = System.getProperty("jvirtd.home");
        if (override != null) {
            return Path.of(override).toAbsolutePath();
        }
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }

    static String version() {
        try (InputStream in = Launcher.class.getResourceAsStream("/jvirtd-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
