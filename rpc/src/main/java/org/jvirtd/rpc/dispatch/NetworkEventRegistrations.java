package org.jvirtd.rpc.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.NetworkEvent;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.rpc.protocol.Events;

/** One client's network event callbacks (only lifecycle, VIR_NETWORK_EVENT_ID_LIFECYCLE = 0, exists). */
public final class NetworkEventRegistrations {
    private final Outbox outbox;
    private final Map<Integer, UUID> callbacks = new LinkedHashMap<>();
    private final Map<Integer, Boolean> allNetworks = new LinkedHashMap<>();
    private AutoCloseable subscription;
    /** The networks whose events this client may see (access_drivers): all until restricted. */
    private volatile Predicate<NetworkRef> visible = network -> true;

    NetworkEventRegistrations(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Registers a callback for one network ({@code network} non-null) or all. */
    public synchronized void add(Networks networks, int callbackId, UUID network) {
        if (subscription == null) {
            subscription = networks.subscribe(this::deliver);
        }
        callbacks.put(callbackId, network);
        allNetworks.put(callbackId, network == null);
    }

    /** From now on, delivers only events of networks that pass {@code gate} (libvirt's event ACL filter). */
    public void restrictTo(Predicate<NetworkRef> gate) {
        visible = gate;
    }

    public synchronized boolean remove(int callbackId) {
        boolean removed = allNetworks.remove(callbackId) != null;
        callbacks.remove(callbackId);
        if (allNetworks.isEmpty()) {
            closeSubscription();
        }
        return removed;
    }

    public synchronized void closeAll() {
        callbacks.clear();
        allNetworks.clear();
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

    void deliver(NetworkEvent event) {
        if (!visible.test(event.network())) {
            return;
        }
        List<Integer> matching = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<Integer, Boolean> entry : allNetworks.entrySet()) {
                UUID filter = callbacks.get(entry.getKey());
                if (entry.getValue() || event.network().uuid().equals(filter)) {
                    matching.add(entry.getKey());
                }
            }
        }
        for (int callbackId : matching) {
            outbox.send(Events.networkLifecycle(callbackId, event));
        }
    }
}
