package org.jvirtd.secret;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.secret.SecretEventListener;
import org.jvirtd.api.secret.SecretRef;

/**
 * Delivers secret events to subscribers, in order, on one thread of its own so a slow listener never holds
 * up a secret operation.
 */
final class SecretEvents implements AutoCloseable {
    private final List<SecretEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvirtd-secret-events");
        t.setDaemon(true);
        return t;
    });

    AutoCloseable subscribe(SecretEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(SecretRef secret, SecretEvent.Type type) {
        SecretEvent event = new SecretEvent(secret, type);
        delivery.execute(() -> listeners.forEach(l -> {
            try {
                l.onSecretEvent(event);
            } catch (RuntimeException e) {
                System.err.println("jvirtd: secret event listener failed: " + e);
            }
        }));
    }

    @Override
    public void close() {
        delivery.shutdown();
    }
}
