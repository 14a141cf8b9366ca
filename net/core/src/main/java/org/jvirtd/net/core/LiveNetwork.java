package org.jvirtd.net.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;

/**
 * The handle a forward mode and its services get for one network: its live definition, its directories
 * and namespace, and runtime facts that go into the status file.
 */
final class LiveNetwork implements NetworkHandle {
    private final NetworkDef def;
    private final Map<String, String> runtime;
    private final NetworkStore store;
    private final String netns;

    LiveNetwork(NetworkDef def, Map<String, String> runtime, NetworkStore store, String netns) {
        this.def = def;
        this.runtime = runtime;
        this.store = store;
        this.netns = netns;
    }

    @Override
    public String name() {
        return def.name();
    }

    @Override
    public UUID uuid() {
        return def.uuid();
    }

    @Override
    public String xml() {
        return NetworkXml.format(def, 0);
    }

    @Override
    public Map<String, String> runtime() {
        synchronized (runtime) {
            return Map.copyOf(runtime);
        }
    }

    @Override
    public void putRuntime(Map<String, String> facts) {
        synchronized (runtime) {
            runtime.putAll(facts);
        }
    }

    @Override
    public Path runDir() {
        return store.runDir(def.name());
    }

    @Override
    public Path stateDir() {
        return store.stateDir(def.name());
    }

    @Override
    public String netns() {
        return netns;
    }
}
