package org.jvirtd.driver.xen.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.xen.internal.toolstack.XlDomainList;

/**
 * Lifecycle events of running Xen domains by polling {@code xl list}: a domain that left the list shut down
 * (xl's monitor destroys a powered-off guest), one shown crashed crashed, one paused or unpaused from outside
 * changed state, and a new domain id under the same name means xl restarted it for a reboot. Changes the driver
 * made itself are not reported twice: each such change bumps the domain's generation, and a poll that began
 * before it is ignored for that domain.
 */
final class XenDomainWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenDomainWatch.class.getName());

    /** A watched domain: its handle, the domain id and pause state last known, and the driver's generation. */
    private static final class Watched {
        final DomainHandle handle;
        int domid;
        boolean paused;
        long generation;

        Watched(DomainHandle handle, int domid, boolean paused) {
            this.handle = handle;
            this.domid = domid;
            this.paused = paused;
        }
    }

    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final Supplier<XlDomainList> list;
    private final ScheduledExecutorService poller;

    XenDomainWatch(Supplier<XlDomainList> list, Duration interval) {
        this.list = list;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "jvirtd-xen-watch");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** Starts watching (or renews) a running domain, with what the driver knows of it now. */
    void watch(DomainHandle handle, int domid, boolean paused) {
        Watched w = new Watched(handle, domid, paused);
        Watched old = watched.put(handle.name(), w);
        if (old != null) {
            synchronized (old) {
                w.generation = old.generation + 1;
            }
        }
    }

    /** The driver changed the pause state itself; the next poll must not report it again. */
    void known(String name, boolean paused) {
        Watched w = watched.get(name);
        if (w != null) {
            synchronized (w) {
                w.paused = paused;
                w.generation++;
            }
        }
    }

    /** The domain stopped through the driver (destroy, save): no longer watched, nothing reported. */
    void forget(String name) {
        watched.remove(name);
    }

    boolean isWatched(String name) {
        return watched.containsKey(name);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (VirtException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "polling 'xl list' failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "polling 'xl list' failed", e);
        }
    }

    /** One round: compares every watched domain with a fresh {@code xl list}. */
    void poll() {
        if (watched.isEmpty()) {
            return;
        }
        Map<String, Long> before = new ConcurrentHashMap<>();
        watched.forEach((name, w) -> {
            synchronized (w) {
                before.put(name, w.generation);
            }
        });
        XlDomainList now = list.get();
        for (Map.Entry<String, Long> entry : before.entrySet()) {
            Watched w = watched.get(entry.getKey());
            if (w == null) {
                continue;
            }
            synchronized (w) {
                if (w.generation != entry.getValue()) {
                    continue; // the driver acted on it while xl list ran
                }
                compare(w, now.find(entry.getKey()).orElse(null));
            }
        }
    }

    private void compare(Watched w, XlDomainList.Entry entry) {
        String name = w.handle.name();
        if (entry == null || entry.dying()) {
            watched.remove(name, w);
            w.handle.stateChanged(DomainState.SHUTOFF, StateReason.SHUTOFF_SHUTDOWN);
        } else if (entry.crashed()) {
            watched.remove(name, w);
            w.handle.stateChanged(DomainState.SHUTOFF, StateReason.SHUTOFF_CRASHED);
        } else if (entry.domid() != w.domid) {
            w.domid = entry.domid();
            w.paused = entry.paused();
            w.handle.setId(entry.domid());
            w.handle.putRuntime(Map.of(XenDriver.DOMID, Integer.toString(entry.domid())));
        } else if (entry.paused() != w.paused) {
            w.paused = entry.paused();
            if (entry.paused()) {
                w.handle.stateChanged(DomainState.PAUSED, StateReason.PAUSED_USER);
            } else {
                w.handle.stateChanged(DomainState.RUNNING, StateReason.RUNNING_UNPAUSED);
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        watched.clear();
    }
}
