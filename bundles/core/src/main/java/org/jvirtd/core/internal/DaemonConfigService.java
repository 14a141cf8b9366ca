package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.api.VirtException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Reads jvirtd.conf once at activation from the path the launcher names (-f) or the default path, and
 * works out the daemon's directories. Unknown keys are logged as warnings, as libvirtd does.
 */
@Component(service = DaemonConfig.class, immediate = true)
public final class DaemonConfigService implements DaemonConfig {
    /** Framework or system property naming the config file (-f/--config). */
    static final String CONFIG_PROPERTY = "jvirtd.config";
    /** Framework or system property that prefixes every path (tests). */
    static final String ROOT_PROPERTY = "jvirtd.root";
    static final String LISTEN_PROPERTY = "jvirtd.listen";
    static final String VERBOSE_PROPERTY = "jvirtd.verbose";
    static final long DEFAULT_GRACE_SECONDS = 15;
    /** System property the launcher turns into the process exit status. */
    static final String EXIT_STATUS_PROPERTY = "jvirtd.exit.status";

    private static final System.Logger LOG = System.getLogger(DaemonConfigService.class.getName());

    private final DaemonPaths paths;
    private final String configFile;
    private final boolean verbose;
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile ConfFile settings;
    private final boolean listen;

    @Activate
    public DaemonConfigService(BundleContext context) throws IOException {
        this.paths = DaemonPaths.resolve(context.getProperty(ROOT_PROPERTY), HostIdentity.isPrivileged(),
            System.getenv(), System.getProperty("user.home"));
        this.listen = Boolean.parseBoolean(context.getProperty(LISTEN_PROPERTY));
        this.configFile = context.getProperty(CONFIG_PROPERTY);
        this.verbose = Boolean.parseBoolean(context.getProperty(VERBOSE_PROPERTY));
        ConfFile loaded;
        try {
            loaded = load(context.getProperty(CONFIG_PROPERTY));
        } catch (VirtException e) {
            // libvirtd refuses to run with a config it cannot read; so does jvirtd.
            LOG.log(System.Logger.Level.ERROR, "Can''t load config file: {0}", e.getMessage());
            System.setProperty(EXIT_STATUS_PROPERTY, "7");
            Thread stopper = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException stopFailed) {
                    LOG.log(System.Logger.Level.ERROR, "cannot stop the daemon", stopFailed);
                }
            }, "jvirtd-config-failure");
            stopper.start();
            loaded = ConfFile.empty("(unreadable config)");
        }
        this.settings = loaded;
        LogSettings.apply(loaded, verbose);
        createDirectories();
        HangupSignal.install(this::reload);
    }

    DaemonConfigService(String root, String configFile, boolean listen, boolean privileged,
                        Map<String, String> env, String home) throws IOException {
        this.paths = DaemonPaths.resolve(root, privileged, env, home);
        this.listen = listen;
        this.configFile = configFile;
        this.verbose = false;
        this.settings = load(configFile);
        createDirectories();
    }

    private ConfFile load(String configFile) {
        Path file = configFile == null || configFile.isEmpty() ? paths.daemonConfigFile() : Path.of(configFile);
        ConfFile settings = ConfFile.read(file);
        for (String key : settings.values().keySet()) {
            if (!DaemonKeys.isKnown(key)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: unknown setting ''{1}'' ignored", file, key);
            }
        }
        return settings;
    }

    private void createDirectories() throws IOException {
        for (Path dir : new Path[] {paths.configDir(), paths.runDir(), paths.stateDir(), paths.logDir(),
            paths.socketDir()}) {
            Files.createDirectories(dir);
        }
    }

    /** Rereads the config file (SIGHUP); a file that no longer parses keeps the old settings. */
    void reload() {
        try {
            ConfFile reloaded = load(configFile);
            settings = reloaded;
            LogSettings.apply(reloaded, verbose);
            LOG.log(System.Logger.Level.INFO, "configuration reloaded");
            reloadListeners.forEach(Runnable::run);
        } catch (VirtException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration not reloaded, keeping the current one: {0}",
                e.getMessage());
        }
    }

    @Override
    public AutoCloseable onReload(Runnable listener) {
        reloadListeners.add(listener);
        return () -> reloadListeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        HangupSignal.uninstall();
    }

    @Override
    public ConfFile settings() {
        return settings;
    }

    @Override
    public DaemonPaths paths() {
        return paths;
    }

    @Override
    public boolean listen() {
        return listen;
    }

    @Override
    public long graceMillis() {
        return settings.number("driver_grace_period", DEFAULT_GRACE_SECONDS) * 1000;
    }
}
