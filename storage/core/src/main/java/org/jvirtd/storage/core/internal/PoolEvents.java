package org.jvirtd.storage.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.api.storage.PoolEventListener;
import org.jvirtd.api.storage.PoolRef;

/**
 * Delivers pool events to subscribed listeners; one listener's failure never stops the others.
 */
final class PoolEvents {
    private final List<PoolEventListener> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable subscribe(PoolEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fire(PoolRef pool, PoolEvent.Type type) {
        PoolEvent event = new PoolEvent(pool, type);
        for (PoolEventListener listener : listeners) {
            try {
                listener.onPoolEvent(event);
            } catch (RuntimeException e) {
                System.err.println("jvirtd storage: event listener failed: " + e);
            }
        }
    }
}
