package org.jvirtd.api.network;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A network as the network core hands it to a forward mode and to its services: the definition
 * (libvirt network XML) and the runtime facts core persists in the network's status file.
 */
@ProviderType
public interface NetworkHandle {
    String name();

    UUID uuid();

    String xml();

    Map<String, String> runtime();

    void putRuntime(Map<String, String> facts);

    /** This network's directory under the runtime root (pid files). */
    Path runDir();

    /** This network's directory under the state root (leases, hosts files). */
    Path stateDir();

    /**
     * The network namespace the network's host side lives in: empty for the daemon's own, a name from
     * {@code ip netns} when the daemon runs its networks inside one (tests do).
     */
    String netns();
}
