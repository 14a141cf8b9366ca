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

    /** A block job became ready or ended; listeners that only follow the lifecycle ignore it. */
    default void onBlockJob(BlockJobEvent event) {
    }

    /** The guest agent connected or went; listeners that only follow the lifecycle ignore it. */
    default void onAgentLifecycle(AgentLifecycleEvent event) {
    }

    /** A device left the guest; listeners that only follow the lifecycle ignore it. */
    default void onDeviceRemoved(DeviceRemovedEvent event) {
    }

    /** The guest's balloon changed size; listeners that only follow the lifecycle ignore it. */
    default void onBalloonChange(BalloonChangeEvent event) {
    }

    /** A disk's write threshold was reached; listeners that only follow the lifecycle ignore it. */
    default void onBlockThreshold(BlockThresholdEvent event) {
    }

    /** Tunables of a running domain changed; listeners that only follow the lifecycle ignore it. */
    default void onTunable(TunableEvent event) {
    }

    /** A domain job (a backup) ended; listeners that only follow the lifecycle ignore it. */
    default void onJobCompleted(JobCompletedEvent event) {
    }
}
