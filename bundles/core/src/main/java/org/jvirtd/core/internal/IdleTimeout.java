package org.jvirtd.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * libvirtd's --timeout: stops the daemon after it has had no open connection and no active domain for
 * the given number of seconds. Inactive unless the launcher set {@code jvirtd.timeout}.
 */
@Component(immediate = true)
public final class IdleTimeout {
    static final String TIMEOUT_PROPERTY = "jvirtd.timeout";
    private static final System.Logger LOG = System.getLogger(IdleTimeout.class.getName());

    private final ScheduledExecutorService timer;

    @Activate
    public IdleTimeout(BundleContext context, @Reference DriverRegistry registry,
                       @Reference CoreHypervisors hypervisors) {
        long seconds = parse(context.getProperty(TIMEOUT_PROPERTY));
        if (seconds <= 0) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "jvirtd-idle-timeout");
            thread.setDaemon(true);
            return thread;
        });
        long[] idleSince = {System.nanoTime()};
        timer.scheduleWithFixedDelay(() -> {
            if (hypervisors.openConnections() > 0 || registry.anyActive()) {
                idleSince[0] = System.nanoTime();
            } else if (System.nanoTime() - idleSince[0] >= TimeUnit.SECONDS.toNanos(seconds)) {
                LOG.log(System.Logger.Level.INFO, "idle for {0} s with nothing running: stopping", seconds);
                try {
                    context.getBundle(0).stop();
                } catch (BundleException | IllegalStateException e) {
                    LOG.log(System.Logger.Level.ERROR, "cannot stop the daemon", e);
                }
                timer.shutdown();
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    private static long parse(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
