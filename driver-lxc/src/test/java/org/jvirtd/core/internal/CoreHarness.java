package org.jvirtd.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;

/**
 * Core's real domain list, registry and connections outside OSGi, rooted in a test folder: a daemon whose
 * "restart" ({@link #restart()}) stops this core and starts a new one over the same folder.
 *
 * <p>Like the daemon, at most one core runs over a folder: a driver's domain store owns its directories (the
 * definitions' journal is locked), and SCR stops the old core before it starts the next, as a restarted daemon's
 * old process is gone before the new one opens them. A second harness over a folder whose core still runs is
 * refused rather than left to find the journal locked.
 */
public final class CoreHarness implements AutoCloseable {
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final EventHub events;
    private final DriverRegistry registry;
    private final CoreHypervisors hypervisors;
    private boolean stopped;

    public CoreHarness(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (!RUNNING.add(this.root)) {
            throw new IllegalStateException("a core over " + this.root + " still runs: restart() or close() it");
        }
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), root.toString());
        DaemonConfig config = new DaemonConfig() {
            @Override
            public ConfFile settings() {
                return ConfFile.empty("jvirtd.conf");
            }

            @Override
            public DaemonPaths paths() {
                return paths;
            }

            @Override
            public boolean listen() {
                return false;
            }

            @Override
            public long graceMillis() {
                return 1000;
            }

            @Override
            public AutoCloseable onReload(Runnable listener) {
                return () -> { };
            }
        };
        events = new EventHub();
        registry = new DriverRegistry(config, events);
        hypervisors = new CoreHypervisors(registry, events);
    }

    public void bind(HypervisorDriver driver) {
        registry.bindDriver(driver);
    }

    public void unbind(HypervisorDriver driver) {
        registry.unbindDriver(driver);
    }

    public Connection open() {
        return hypervisors.open(URI.create("lxc:///system"), false);
    }

    /**
     * A daemon restart: this core stops, then a new one starts over the same folder (bind the driver to it again).
     * The drivers themselves are the caller's to stop, since a restart may leave their guests running or not.
     */
    public CoreHarness restart() {
        close();
        return new CoreHarness(root);
    }

    /** Stops core as SCR does: each driver's domain store checkpoints and releases its journal. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            registry.deactivate();
            events.deactivate();
        } finally {
            RUNNING.remove(root);
        }
    }
}
