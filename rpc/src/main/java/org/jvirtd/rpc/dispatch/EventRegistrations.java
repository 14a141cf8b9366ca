package org.jvirtd.rpc.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.event.AgentLifecycleEvent;
import org.jvirtd.api.event.BlockJobEvent;
import org.jvirtd.api.event.BlockThresholdEvent;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventListener;
import org.jvirtd.api.event.DomainMetadataChange;
import org.jvirtd.rpc.protocol.Events;

/**
 * One client's domain event callbacks. The first registration subscribes to the connection's events;
 * each event goes out once per matching callback, as libvirtd sends it.
 */
public final class EventRegistrations {
    /** VIR_DOMAIN_EVENT_ID_LIFECYCLE. */
    public static final int LIFECYCLE = 0;
    /** VIR_DOMAIN_EVENT_ID_BLOCK_JOB. */
    public static final int BLOCK_JOB = 8;
    /** VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2. */
    public static final int BLOCK_JOB_2 = 16;
    /** VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD. */
    public static final int BLOCK_THRESHOLD = 24;
    /** VIR_DOMAIN_EVENT_ID_METADATA_CHANGE. */
    public static final int METADATA_CHANGE = 23;
    /** VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED. */
    public static final int DEVICE_REMOVED = 15;
    /** VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE. */
    public static final int BALLOON_CHANGE = 13;
    /** VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE. */
    public static final int AGENT_LIFECYCLE = 18;
    /** VIR_DOMAIN_EVENT_ID_TUNABLE. */
    public static final int TUNABLE = 17;
    /** VIR_DOMAIN_EVENT_ID_JOB_COMPLETED. */
    public static final int JOB_COMPLETED = 21;

    /** A callback: its id, event id, domain filter (null = all) and whether it is the legacy style. */
    public record Registration(int callbackId, int eventId, UUID domain, boolean legacy) {
    }

    private final Outbox outbox;
    private final Map<Integer, Registration> callbacks = new LinkedHashMap<>();
    private AutoCloseable subscription;
    /** The domains whose events this client may see (access_drivers): all until restricted. */
    private volatile Predicate<DomainRef> visible = domain -> true;

    EventRegistrations(Outbox outbox) {
        this.outbox = outbox;
    }

    public synchronized void add(Connection connection, Registration registration) {
        if (subscription == null) {
            subscription = connection.subscribe(new DomainEventListener() {
                @Override
                public void onDomainEvent(DomainEvent event) {
                    deliver(event);
                }

                @Override
                public void onMetadataChange(DomainMetadataChange event) {
                    deliverMetadataChange(event);
                }

                @Override
                public void onBlockJob(BlockJobEvent event) {
                    deliverBlockJob(event);
                }

                @Override
                public void onAgentLifecycle(AgentLifecycleEvent event) {
                    // only the callback style has an agent lifecycle message
                    for (Registration r : matching(AGENT_LIFECYCLE, event.domain())) {
                        if (!r.legacy()) {
                            outbox.send(Events.agentLifecycle(r.callbackId(), event));
                        }
                    }
                }

                @Override
                public void onDeviceRemoved(org.jvirtd.api.event.DeviceRemovedEvent event) {
                    for (Registration r : matching(DEVICE_REMOVED, event.domain())) {
                        outbox.send(Events.deviceRemoved(r.legacy() ? null : r.callbackId(), event));
                    }
                }

                @Override
                public void onBalloonChange(org.jvirtd.api.event.BalloonChangeEvent event) {
                    for (Registration r : matching(BALLOON_CHANGE, event.domain())) {
                        outbox.send(Events.balloonChange(r.legacy() ? null : r.callbackId(), event));
                    }
                }

                @Override
                public void onTunable(org.jvirtd.api.event.TunableEvent event) {
                    // only the callback style has a tunable message
                    for (Registration r : matching(TUNABLE, event.domain())) {
                        if (!r.legacy()) {
                            outbox.send(Events.tunable(r.callbackId(), event));
                        }
                    }
                }

                @Override
                public void onJobCompleted(org.jvirtd.api.event.JobCompletedEvent event) {
                    // only the callback style has a job completed message
                    for (Registration r : matching(JOB_COMPLETED, event.domain())) {
                        if (!r.legacy()) {
                            outbox.send(Events.jobCompleted(r.callbackId(), event));
                        }
                    }
                }

                @Override
                public void onBlockThreshold(BlockThresholdEvent event) {
                    for (Registration r : matching(BLOCK_THRESHOLD, event.domain())) {
                        outbox.send(Events.blockThreshold(r.legacy() ? -1 : r.callbackId(), event));
                    }
                }
            });
        }
        callbacks.put(registration.callbackId(), registration);
    }

    /** From now on, delivers only events of domains that pass {@code gate} (libvirt's event ACL filter). */
    public void restrictTo(Predicate<DomainRef> gate) {
        visible = gate;
    }

    /** Removes a callback; false when this client has none with that id. */
    public synchronized boolean remove(int callbackId) {
        boolean removed = callbacks.remove(callbackId) != null;
        if (callbacks.isEmpty()) {
            closeSubscription();
        }
        return removed;
    }

    /** The legacy callback registered for an event id, or null. */
    public synchronized Registration legacy(int eventId) {
        for (Registration registration : callbacks.values()) {
            if (registration.legacy() && registration.eventId() == eventId) {
                return registration;
            }
        }
        return null;
    }

    public synchronized void closeAll() {
        callbacks.clear();
        closeSubscription();
    }

    private void closeSubscription() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // the subscription is gone either way; nothing a client could be told
            }
            subscription = null;
        }
    }

    /** Metadata changes go to callback registrations only: libvirt has no legacy message for them. */
    void deliverMetadataChange(DomainMetadataChange event) {
        if (!visible.test(event.domain())) {
            return;
        }
        List<Registration> matching = new ArrayList<>();
        synchronized (this) {
            for (Registration registration : callbacks.values()) {
                if (registration.eventId() == METADATA_CHANGE && !registration.legacy()
                    && (registration.domain() == null || registration.domain().equals(event.domain().uuid()))) {
                    matching.add(registration);
                }
            }
        }
        for (Registration registration : matching) {
            outbox.send(Events.callbackMetadataChange(registration.callbackId(), event));
        }
    }

    /** BLOCK_JOB names the disk by path, BLOCK_JOB_2 by target; a legacy BLOCK_JOB_2 carries callback id -1. */
    void deliverBlockJob(BlockJobEvent event) {
        for (Registration r : matching(BLOCK_JOB, event.domain())) {
            outbox.send(Events.blockJob(r.legacy() ? null : r.callbackId(), event));
        }
        for (Registration r : matching(BLOCK_JOB_2, event.domain())) {
            outbox.send(Events.blockJob2(r.legacy() ? -1 : r.callbackId(), event));
        }
    }

    private List<Registration> matching(int eventId, DomainRef domain) {
        if (!visible.test(domain)) {
            return List.of();
        }
        List<Registration> matching = new ArrayList<>();
        synchronized (this) {
            for (Registration registration : callbacks.values()) {
                if (registration.eventId() == eventId
                    && (registration.domain() == null || registration.domain().equals(domain.uuid()))) {
                    matching.add(registration);
                }
            }
        }
        return matching;
    }


    void deliver(DomainEvent event) {
        if (!visible.test(event.domain())) {
            return;
        }
        List<Registration> matching = new ArrayList<>();
        synchronized (this) {
            for (Registration registration : callbacks.values()) {
                if (registration.eventId() == LIFECYCLE
                    && (registration.domain() == null || registration.domain().equals(event.domain().uuid()))) {
                    matching.add(registration);
                }
            }
        }
        for (Registration registration : matching) {
            outbox.send(registration.legacy() ? Events.legacyLifecycle(event)
                : Events.callbackLifecycle(registration.callbackId(), event));
        }
    }
}
