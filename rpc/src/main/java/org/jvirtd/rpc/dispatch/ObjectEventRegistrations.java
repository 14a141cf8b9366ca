package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One client's event callbacks for one kind of object (storage pools, secrets, node devices): each callback
 * wants one event id, of one object (by its key: a UUID, a device name) or of all, and gets the event message built for its callback id. The client
 * subscribes to the events' source while it has a callback.
 *
 * @param <E> the event type of the object kind
 */
public final class ObjectEventRegistrations<E> {
    private record Callback(int eventId, Object object) {
    }

    private final Outbox outbox;
    private final ToIntFunction<E> eventId;
    private final Function<E, ?> object;
    private final BiFunction<Integer, E, ByteBuffer> message;
    private final Map<Integer, Callback> callbacks = new LinkedHashMap<>();
    private AutoCloseable subscription;
    /** The events this client may see (access_drivers): all until restricted. */
    private volatile Predicate<E> visible = event -> true;

    /**
     * @param eventId the event id (libvirt's VIR_*_EVENT_ID_*) an event answers to
     * @param object the key (UUID, name) of the object an event is about
     * @param message the event message for a callback id
     */
    ObjectEventRegistrations(Outbox outbox, ToIntFunction<E> eventId, Function<E, ?> object,
                             BiFunction<Integer, E, ByteBuffer> message) {
        this.outbox = outbox;
        this.eventId = eventId;
        this.object = object;
        this.message = message;
    }

    /**
     * Registers a callback for one object ({@code key} non-null) or all.
     *
     * @param source subscribes a listener to the events, returning the handle that ends the subscription
     */
    public synchronized void add(Function<Consumer<E>, AutoCloseable> source, int callbackId, int eventId, Object key) {
        if (subscription == null) {
            subscription = source.apply(this::deliver);
        }
        callbacks.put(callbackId, new Callback(eventId, key));
    }

    /** From now on, delivers only events that pass {@code gate} (libvirt's event ACL filter). */
    public void restrictTo(Predicate<E> gate) {
        visible = gate;
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

    void deliver(E event) {
        if (!visible.test(event)) {
            return;
        }
        int id = eventId.applyAsInt(event);
        Object key = object.apply(event);
        List<Integer> matching = new ArrayList<>();
        synchronized (this) {
            callbacks.forEach((callbackId, callback) -> {
                if (callback.eventId() == id && (callback.object() == null || callback.object().equals(key))) {
                    matching.add(callbackId);
                }
            });
        }
        for (int callbackId : matching) {
            outbox.send(message.apply(callbackId, event));
        }
    }
}
