package org.jvirtd.rpc.dispatch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.secret.SecretEventListener;

/**
 * The Secrets service the daemon has now (null while the secret bundle is missing or being updated), and its
 * events for every client: a client's event registration outlives an update of the secret bundle because it
 * listens here, and this follows each new service.
 */
public final class CurrentSecrets implements Supplier<Secrets> {
    private final List<SecretEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Secrets service;
    private AutoCloseable subscription;

    @Override
    public Secrets get() {
        return service;
    }

    /** Makes {@code next} (or none) the service calls go to and events come from. */
    public synchronized void switchTo(Secrets next) {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // the old service is going away either way
            }
            subscription = null;
        }
        service = next;
        if (next != null) {
            subscription = next.subscribe(this::deliver);
        }
    }

    /** Delivers the events of the current service, and of every later one, until the handle is closed. */
    public AutoCloseable subscribe(SecretEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void deliver(SecretEvent event) {
        listeners.forEach(listener -> listener.onSecretEvent(event));
    }
}
