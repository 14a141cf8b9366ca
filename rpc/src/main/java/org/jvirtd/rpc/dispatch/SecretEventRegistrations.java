package org.jvirtd.rpc.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.rpc.protocol.Events;

/** One client's secret event callbacks: lifecycle (event id 0) or value changed (event id 1), for one secret or all. */
public final class SecretEventRegistrations {
    private record Callback(int eventId, UUID secret) {
    }

    private final Outbox outbox;
    private final Map<Integer, Callback> callbacks = new LinkedHashMap<>();
    private AutoCloseable subscription;

    SecretEventRegistrations(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Registers a callback for one secret ({@code secret} non-null) or all. */
    public synchronized void add(CurrentSecrets secrets, int callbackId, int eventId, UUID secret) {
        if (subscription == null) {
            subscription = secrets.subscribe(this::deliver);
        }
        callbacks.put(callbackId, new Callback(eventId, secret));
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

    void deliver(SecretEvent event) {
        List<Integer> matching = new ArrayList<>();
        synchronized (this) {
            callbacks.forEach((id, callback) -> {
                if (callback.eventId() == event.eventId()
                    && (callback.secret() == null || callback.secret().equals(event.secret().uuid()))) {
                    matching.add(id);
                }
            });
        }
        for (int callbackId : matching) {
            outbox.send(Events.secretEvent(callbackId, event));
        }
    }
}
