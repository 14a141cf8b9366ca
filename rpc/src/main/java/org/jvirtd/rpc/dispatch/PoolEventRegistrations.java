package org.jvirtd.rpc.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.rpc.protocol.Events;

/** One client's storage pool event callbacks: lifecycle (event id 0) or refresh (event id 1), for one pool or all. */
public final class PoolEventRegistrations {
    /** VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE. */
    public static final int LIFECYCLE = 0;
    /** VIR_STORAGE_POOL_EVENT_ID_REFRESH. */
    public static final int REFRESH = 1;

    private record Callback(int eventId, UUID pool) {
    }

    private final Outbox outbox;
    private final Map<Integer, Callback> callbacks = new LinkedHashMap<>();
    private AutoCloseable subscription;

    PoolEventRegistrations(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Registers a callback for one pool ({@code pool} non-null) or all. */
    public synchronized void add(StoragePools pools, int callbackId, int eventId, UUID pool) {
        if (subscription == null) {
            subscription = pools.subscribe(this::deliver);
        }
        callbacks.put(callbackId, new Callback(eventId, pool));
    }

    public synchronized boolean remove(int callbackId) {
        boolean removed = callbacks.remove(callbackId) != null;
        if (callbacks.isEmpty()) {
            closeSubscription();
        }
        return removed;
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
                // gone either way
            }
            subscription = null;
        }
    }

    void deliver(PoolEvent event) {
        int eventId = event.type() == PoolEvent.Type.REFRESHED ? REFRESH : LIFECYCLE;
        List<Integer> matching = new ArrayList<>();
        synchronized (this) {
            callbacks.forEach((id, callback) -> {
                if (callback.eventId() == eventId
                    && (callback.pool() == null || callback.pool().equals(event.pool().uuid()))) {
                    matching.add(id);
                }
            });
        }
        for (int callbackId : matching) {
            outbox.send(Events.poolEvent(callbackId, event));
        }
    }
}
