package org.jvirtd.rpc.dispatch;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An optional service (a network or storage bundle's) as calls see it. While one that was here is away (its
 * bundle is being updated), {@link #get()} waits up to the grace period for the next one, as calls for a
 * hypervisor driver do; a service that never came, or did not come back in time, is null at once.
 */
public final class AwaitedService<T> implements Supplier<T> {
    private final LongSupplier graceMillis;
    private T service;
    private boolean seen;

    public AwaitedService(LongSupplier graceMillis) {
        this.graceMillis = graceMillis;
    }

    /** Makes {@code next} the service calls go to and wakes the calls waiting for one. */
    public synchronized void bind(T next) {
        service = next;
        seen = true;
        notifyAll();
    }

    /** Forgets {@code gone} unless another service has replaced it already. */
    public synchronized void unbind(T gone) {
        if (service == gone) {
            service = null;
        }
    }

    /** The service, waiting for it while it is being replaced; null when there is none. */
    @Override
    public synchronized T get() {
        long deadline = System.currentTimeMillis() + graceMillis.getAsLong();
        while (service == null && seen) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return service;
    }
}
