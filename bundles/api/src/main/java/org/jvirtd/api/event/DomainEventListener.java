package org.jvirtd.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives domain lifecycle events. Called on the hub's delivery thread: return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface DomainEventListener {
    void onDomainEvent(DomainEvent event);

    /** A metadata change; listeners that only follow the lifecycle ignore it. */
    default void onMetadataChange(DomainMetadataChange event) {
    }
}
