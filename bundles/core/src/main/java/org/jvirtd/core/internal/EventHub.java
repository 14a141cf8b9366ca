package org.jvirtd.core.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jvirtd.api.event.AgentLifecycleEvent;
import org.jvirtd.api.event.BlockJobEvent;
import org.jvirtd.api.event.BlockThresholdEvent;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventListener;
import org.jvirtd.api.event.DomainMetadataChange;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Delivers domain events to subscribers, in publication order, on one delivery thread so that a
 * slow subscriber never holds up the driver or the call that caused the event.
 */
@Component(service = EventHub.class)
public final class EventHub {
    private static final System.Logger LOG = System.getLogger(EventHub.class.getName());

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "jvirtd-events");
        thread.setDaemon(true);
        return thread;
    });

    /** Subscribes to the events of one driver, or of all drivers when {@code driver} is null. */
    public AutoCloseable subscribe(String driver, DomainEventListener listener) {
        Subscription subscription = new Subscription(driver, listener);
        subscriptions.add(subscription);
        return () -> subscriptions.remove(subscription);
    }

    public void publish(DomainMetadataChange event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onMetadataChange(event)));
        }
    }

    public void publish(BlockJobEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onBlockJob(event)));
        }
    }

    public void publish(AgentLifecycleEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onAgentLifecycle(event)));
        }
    }

    public void publish(org.jvirtd.api.event.DeviceRemovedEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onDeviceRemoved(event)));
        }
    }

    public void publish(org.jvirtd.api.event.BalloonChangeEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onBalloonChange(event)));
        }
    }

    public void publish(org.jvirtd.api.event.TunableEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onTunable(event)));
        }
    }

    public void publish(org.jvirtd.api.event.JobCompletedEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onJobCompleted(event)));
        }
    }

    public void publish(BlockThresholdEvent event) {
        if (!subscriptions.isEmpty()) {
            delivery.execute(() -> deliver(event.driver(), listener -> listener.onBlockThreshold(event)));
        }
    }

    private void deliver(String driver, java.util.function.Consumer<DomainEventListener> call) {
        for (Subscription subscription : subscriptions) {
            if (subscription.driver == null || subscription.driver.equals(driver)) {
                try {
                    call.accept(subscription.listener);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed", e);
                }
            }
        }
    }

    public void publish(DomainEvent event) {
        if (subscriptions.isEmpty()) {
            // nobody listens (the common case): spare waking the delivery thread on every call
            return;
        }
        delivery.execute(() -> {
            for (Subscription subscription : subscriptions) {
                if (subscription.driver == null || subscription.driver.equals(event.driver())) {
                    try {
                        subscription.listener.onDomainEvent(event);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "event listener failed", e);
                    }
                }
            }
        });
    }

    @Deactivate
    void deactivate() {
        delivery.shutdown();
    }

    private record Subscription(String driver, DomainEventListener listener) {
    }
}
