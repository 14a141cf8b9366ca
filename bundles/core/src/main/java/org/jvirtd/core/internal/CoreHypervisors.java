package org.jvirtd.core.internal;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Opens connections for the RPC server and the shell, and counts the open ones (the idle timeout
 * waits for none).
 */
@Component(service = {Hypervisors.class, CoreHypervisors.class})
public final class CoreHypervisors implements Hypervisors {
    private final DriverRegistry registry;
    private final EventHub events;
    private final AtomicInteger open = new AtomicInteger();

    @Activate
    public CoreHypervisors(@Reference DriverRegistry registry, @Reference EventHub events) {
        this.registry = registry;
        this.events = events;
    }

    @Override
    public Connection open(URI uri, boolean readOnly) {
        URI target = uri == null || uri.toString().isEmpty() ? registry.defaultUri() : uri;
        DriverDomains domains = registry.domainsFor(target);
        open.incrementAndGet();
        return new CoreConnection(target, readOnly, registry, domains, events, open::decrementAndGet);
    }

    @Override
    public URI defaultUri() {
        return registry.defaultUri();
    }

    int openConnections() {
        return open.get();
    }
}
