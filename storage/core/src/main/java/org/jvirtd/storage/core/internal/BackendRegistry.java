package org.jvirtd.storage.core.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.core.config.DaemonConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks the PoolBackend services by pool type. A call for a type whose backend was here and is gone (its
 * bundle is being updated) waits up to the grace period for it to come back.
 */
@Component(service = BackendRegistry.class, immediate = true)
public final class BackendRegistry {
    private final long graceMillis;
    private final Map<String, PoolBackend> backends = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final List<Consumer<PoolBackend>> arrivals = new CopyOnWriteArrayList<>();

    @Activate
    public BackendRegistry(@Reference DaemonConfig config) {
        this(config.graceMillis());
    }

    /** For tests, which run without DS. */
    BackendRegistry(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    public void bindBackend(PoolBackend backend) {
        synchronized (this) {
            backends.put(backend.type(), backend);
            seen.add(backend.type());
            notifyAll();
        }
        arrivals.forEach(listener -> listener.accept(backend));
    }

    public void unbindBackend(PoolBackend backend) {
        synchronized (this) {
            backends.remove(backend.type(), backend);
        }
    }

    /** Hears every backend that arrives from now on, and at once those already here. */
    void onArrival(Consumer<PoolBackend> listener) {
        arrivals.add(listener);
        List<PoolBackend> present;
        synchronized (this) {
            present = List.copyOf(backends.values());
        }
        present.forEach(listener);
    }

    /** The pool types whose backend is here now. */
    synchronized Set<String> types() {
        return Set.copyOf(backends.keySet());
    }

    /** The backend of a pool type, waiting for it while it is being updated. */
    PoolBackend require(String type) {
        long deadline = System.currentTimeMillis() + graceMillis;
        synchronized (this) {
            while (true) {
                PoolBackend backend = backends.get(type);
                if (backend != null) {
                    return backend;
                }
                long left = deadline - System.currentTimeMillis();
                if (!seen.contains(type) || left <= 0) {
                    throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.STORAGE,
                        "storage backend for pool type '" + type + "' is not available");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.STORAGE,
                        "storage backend for pool type '" + type + "' is not available");
                }
            }
        }
    }
}
