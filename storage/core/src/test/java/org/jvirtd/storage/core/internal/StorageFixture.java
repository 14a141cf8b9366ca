package org.jvirtd.storage.core.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;

import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;

/**
 * A storage driver over a test folder with the given backends, as the daemon would wire it, and a way to
 * "restart the daemon" over the same folders.
 */
public final class StorageFixture {
    private final Path root;
    private final PoolBackend[] backends;
    private CoreStoragePools pools;

    public StorageFixture(Path root, PoolBackend... backends) {
        this.root = root;
        this.backends = backends;
        restart();
    }

    public CoreStoragePools pools() {
        return pools;
    }

    /** A fresh driver reading what the previous one left on disk, its backends arriving after it. */
    public CoreStoragePools restart() {
        BackendRegistry registry = new BackendRegistry(200);
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, java.util.Map.of(), root.toString());
        pools = new CoreStoragePools(config(paths), registry);
        for (PoolBackend backend : backends) {
            registry.bindBackend(backend);
        }
        return pools;
    }

    /** A DaemonConfig with test paths, built as a proxy so that methods core adds later need no change here. */
    private static DaemonConfig config(DaemonPaths paths) {
        return (DaemonConfig) Proxy.newProxyInstance(DaemonConfig.class.getClassLoader(),
            new Class<?>[] {DaemonConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                case "paths" -> paths;
                case "graceMillis" -> 200L;
                case "listen" -> false;
                case "toString" -> "test config";
                default -> null;
            });
    }

    public Path configDir() {
        return root.resolve("etc/jvirtd/storage");
    }

    public Path runDir() {
        return root.resolve("run/jvirtd/storage");
    }

    public static String dirPool(String name, Path target) {
        return "<pool type='dir'><name>" + name + "</name><target><path>" + target + "</path></target></pool>";
    }

    public static String volume(String name, long capacity, String format) {
        return "<volume><name>" + name + "</name><capacity>" + capacity + "</capacity><allocation>0</allocation>"
            + "<target><format type='" + format + "'/></target></volume>";
    }
}
