package org.jvirtd.api.network;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives network lifecycle events. Called on the network driver's delivery thread: return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface NetworkEventListener {
    void onNetworkEvent(NetworkEvent event);
}
