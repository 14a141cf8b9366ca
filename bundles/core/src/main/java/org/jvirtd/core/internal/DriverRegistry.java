package org.jvirtd.core.internal;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.core.config.DaemonConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks the hypervisor driver services and keeps each driver's domain list across its comings and
 * goings. A call for a driver that was here and is gone (its bundle is being updated) waits up to the
 * grace period for it to come back.
 */
@Component(service = DriverRegistry.class, immediate = true)
public final class DriverRegistry {
    /** The order in which a connection without a URI probes the drivers, as libvirt does. */
    private static final List<String> PROBE_ORDER = List.of("qemu", "lxc", "xen", "test");

    private final DaemonConfig config;
    private final EventHub events;
    private final Map<String, HypervisorDriver> drivers = new LinkedHashMap<>();
    private final Map<String, DriverDomains> domains = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();

    @Activate
    public DriverRegistry(@Reference DaemonConfig config, @Reference EventHub events) {
        this.config = config;
        this.events = events;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(HypervisorDriver driver) {
        String name = driver.name();
        DriverDomains list;
        boolean firstArrival;
        synchronized (this) {
            firstArrival = !domains.containsKey(name);
            list = domains.computeIfAbsent(name, n -> new DriverDomains(n,
                new DomainStore(n, config.paths()), events, () -> require(n)));
        }
        list.reattachAll(driver);
        synchronized (this) {
            drivers.put(name, driver);
            seen.add(name);
            notifyAll();
        }
        if (firstArrival) {
            Thread starter = new Thread(list::autostart, "jvirtd-" + name + "-autostart");
            starter.setDaemon(true);
            starter.start();
        }
    }

    void unbindDriver(HypervisorDriver driver) {
        synchronized (this) {
            drivers.remove(driver.name(), driver);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        domains.values().forEach(DriverDomains::close);
    }

    /** The driver by name, waiting for it while it is being updated. */
    HypervisorDriver require(String name) {
        long deadline = System.currentTimeMillis() + config.graceMillis();
        synchronized (this) {
            while (true) {
                HypervisorDriver driver = drivers.get(name);
                if (driver != null) {
                    return driver;
                }
                long left = deadline - System.currentTimeMillis();
                if (!seen.contains(name) || left <= 0) {
                    throw VirtErrors.driverUnavailable(name);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw VirtErrors.driverUnavailable(name);
                }
            }
        }
    }

    /** The domain list of the driver that serves a URI (scheme names the driver), waiting as needed. */
    DriverDomains domainsFor(URI uri) {
        String name = driverName(uri);
        HypervisorDriver driver = require(name);
        if (!driver.accepts(uri)) {
            throw VirtErrors.noConnect(uri.toString());
        }
        synchronized (this) {
            return domains.get(name);
        }
    }

    private String driverName(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw VirtErrors.noConnect(uri.toString());
        }
        int plus = scheme.indexOf('+');
        String name = plus < 0 ? scheme : scheme.substring(0, plus);
        synchronized (this) {
            if (!seen.contains(name)) {
                throw VirtErrors.noConnect(uri.toString());
            }
        }
        return name;
    }

    /** The URI of the first driver present in libvirt's probe order. */
    synchronized URI defaultUri() {
        for (String name : PROBE_ORDER) {
            HypervisorDriver driver = drivers.get(name);
            if (driver != null) {
                String path = "test".equals(name) ? "/default" : config.paths().privileged() ? "/system" : "/session";
                return URI.create(name + "://" + path);
            }
        }
        throw new VirtException(org.jvirtd.api.ErrorCode.NO_CONNECT, org.jvirtd.api.ErrorDomain.NONE,
            "no hypervisor driver is registered");
    }

    synchronized java.util.Optional<String> activeDomainUsing(String path) {
        for (DriverDomains list : domains.values()) {
            java.util.Optional<String> user = list.activeDomainUsing(path);
            if (user.isPresent()) {
                return user;
            }
        }
        return java.util.Optional.empty();
    }

    synchronized boolean anyActive() {
        return domains.values().stream().anyMatch(DriverDomains::anyActive);
    }
}
