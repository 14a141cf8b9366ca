package org.jvirtd.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jvirtd.core.config.DaemonTimeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * libvirtd's --timeout: stops the daemon after it has had no open connection and no active domain for
 * the given number of seconds. Off unless the launcher set {@code jvirtd.timeout} or virt-admin
 * daemon-timeout set one.
 */
@Component(service = DaemonTimeout.class, immediate = true)
public final class IdleTimeout implements DaemonTimeout {
    static final String TIMEOUT_PROPERTY = "jvirtd.timeout";
    private static final System.Logger LOG = System.getLogger(IdleTimeout.class.getName());
    private static final long CHECK_MILLIS = 200;

    private final BundleContext context;
    private final DriverRegistry registry;
    private final CoreHypervisors hypervisors;
    private ScheduledExecutorService timer;
    private long seconds;
    private long idleSince;

    @Activate
    public IdleTimeout(BundleContext context, @Reference DriverRegistry registry,
                       @Reference CoreHypervisors hypervisors) {
        this.context = context;
        this.registry = registry;
        this.hypervisors = hypervisors;
        setTimeoutSeconds(parse(context.getProperty(TIMEOUT_PROPERTY)));
    }

    @Override
    public synchronized long timeoutSeconds() {
        return seconds;
    }

    @Override
    public synchronized void setTimeoutSeconds(long timeout) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        seconds = timeout;
        idleSince = System.nanoTime();
        if (timeout > 0 && timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "jvirtd-idle-timeout");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        long limit;
        synchronized (this) {
            if (seconds == 0 || hypervisors.openConnections() > 0 || registry.anyActive()) {
                idleSince = System.nanoTime();
                return;
            }
            if (System.nanoTime() - idleSince < TimeUnit.SECONDS.toNanos(seconds)) {
                return;
            }
            limit = seconds;
            timer.shutdown();
        }
        LOG.log(System.Logger.Level.INFO, "idle for {0} s with nothing running: stopping", limit);
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot stop the daemon", e);
        }
    }

    private static long parse(String value) {
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
