package org.jvirtd.nodedev;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jvirtd.api.nodedev.NodeDeviceEvent;

/**
 * The lifecycle events of the host's devices, for as long as someone listens: the device names are read again
 * every period and compared with the last reading; a name that appeared is CREATED, one that went away
 * DELETED, as libvirt's udev backend reports a device added or removed. With no listener nothing is read.
 */
final class NodeDeviceWatch {
    private final Supplier<Set<String>> names;
    private final long periodMillis;
    private final List<Consumer<NodeDeviceEvent>> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> polling;
    private Set<String> last = Set.of();

    /** @param names the names of the devices present now */
    NodeDeviceWatch(Supplier<Set<String>> names, long periodMillis) {
        this.names = names;
        this.periodMillis = periodMillis;
    }

    synchronized AutoCloseable subscribe(Consumer<NodeDeviceEvent> listener) {
        listeners.add(listener);
        if (polling == null) {
            last = names.get();
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "nodedev-watch");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            polling = timer.scheduleWithFixedDelay(this::compare, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
        return () -> unsubscribe(listener);
    }

    private synchronized void unsubscribe(Consumer<NodeDeviceEvent> listener) {
        listeners.remove(listener);
        if (listeners.isEmpty() && polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    /** Stops reading for good (the driver goes away). */
    synchronized void close() {
        listeners.clear();
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
            polling = null;
        }
    }

    private void compare() {
        Set<String> now = names.get();
        Set<String> before;
        synchronized (this) {
            before = last;
            last = now;
        }
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(now);
        Set<String> added = new TreeSet<>(now);
        added.removeAll(before);
        gone.forEach(name -> publish(new NodeDeviceEvent(name, NodeDeviceEvent.Type.DELETED)));
        added.forEach(name -> publish(new NodeDeviceEvent(name, NodeDeviceEvent.Type.CREATED)));
    }

    private void publish(NodeDeviceEvent event) {
        for (Consumer<NodeDeviceEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // one listener's failure does not keep the event from the others
            }
        }
    }
}
