package org.jvirtd.net.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jvirtd.api.network.NetworkEvent;
import org.jvirtd.api.network.NetworkEventListener;
import org.jvirtd.api.network.NetworkEventType;
import org.jvirtd.api.network.NetworkRef;

/**
 * Delivers network lifecycle events to subscribers, in order, on one thread of its own so a slow
 * listener never holds up a network operation.
 */
final class NetworkEvents implements AutoCloseable {
    private final List<NetworkEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvirtd-network-events");
        t.setDaemon(true);
        return t;
    });

    AutoCloseable subscribe(NetworkEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(NetworkRef network, NetworkEventType type) {
        NetworkEvent event = new NetworkEvent(network, type);
        delivery.execute(() -> listeners.forEach(l -> {
            try {
                l.onNetworkEvent(event);
            } catch (RuntimeException e) {
                System.err.println("jvirtd: network event listener failed: " + e);
            }
        }));
    }

    @Override
    public void close() {
        delivery.shutdown();
    }
}
