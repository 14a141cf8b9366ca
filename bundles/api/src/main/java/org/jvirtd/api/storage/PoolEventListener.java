package org.jvirtd.api.storage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives storage pool events. Called on the thread that changed the pool: return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface PoolEventListener {
    void onPoolEvent(PoolEvent event);
}
