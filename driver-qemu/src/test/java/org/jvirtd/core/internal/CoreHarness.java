package org.jvirtd.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;

/**
 * Core's real domain list, registry and connections outside OSGi, rooted in a test folder: a daemon
 * whose "restart" is a new harness over the same folder.
 */
public final class CoreHarness {
    private final DriverRegistry registry;
    private final CoreHypervisors hypervisors;

    public CoreHarness(Path root) {
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
        EventHub events = new EventHub();
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
        return hypervisors.open(URI.create("qemu:///system"), false);
    }
}
