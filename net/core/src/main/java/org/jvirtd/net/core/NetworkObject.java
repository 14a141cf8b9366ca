package org.jvirtd.net.core;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.model.network.NetworkDef;

/**
 * One network the driver knows: its persistent definition (null while transient), its live definition
 * and runtime facts and ports while active, and its autostart flag. Guarded by the object's own monitor.
 */
final class NetworkObject {
    NetworkDef persistent;
    NetworkDef live;
    boolean autostart;
    final Map<String, String> runtime = new LinkedHashMap<>();
    /** The ports of the live network, by UUID; empty while inactive. */
    final Map<java.util.UUID, NetworkPort> ports = new java.util.TreeMap<>();

    NetworkObject(NetworkDef persistent) {
        this.persistent = persistent;
    }

    NetworkDef def() {
        return live != null ? live : persistent;
    }

    NetworkRef ref() {
        NetworkDef def = def();
        return new NetworkRef(def.name(), def.uuid());
    }

    boolean active() {
        return live != null;
    }
}
