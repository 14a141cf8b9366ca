package org.jvirtd.net.nwfilter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;

/**
 * Learns the IPv4 address of a port whose filter needs {@code $IP} and whose binding gives none: from the DHCP
 * lease the guest's MAC address holds in one of the daemon's active networks (dnsmasq's), checked every second
 * until one appears. What libvirt learns by snooping the port's DHCP traffic, jvirtd reads from the DHCP server.
 */
final class IpLearning implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nwfilter-ip-learning");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> watched = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> learned;
    private volatile Networks networks;

    /** {@code learned} is told the port and the address once one is found. */
    IpLearning(BiConsumer<String, String> learned) {
        this.learned = learned;
        timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    void networks(Networks service) {
        networks = service;
    }

    Networks networks() {
        return networks;
    }

    /** Starts looking for the address of the guest with {@code mac} behind {@code portDev}. */
    void watch(String portDev, String mac) {
        watched.put(portDev, mac);
    }

    void stop(String portDev) {
        watched.remove(portDev);
    }

    boolean isWatching(String portDev) {
        return watched.containsKey(portDev);
    }

    private void poll() {
        Networks service = networks;
        if (service == null || watched.isEmpty()) {
            return;
        }
        try {
            List<NetworkRef> active = service.listAll(NetworkFlags.LIST_ACTIVE);
            for (Map.Entry<String, String> port : watched.entrySet()) {
                for (NetworkRef network : active) {
                    DhcpLease lease = service.leases(network, port.getValue(), 0).stream()
                        .filter(l -> l.type() == 0).findFirst().orElse(null);
                    if (lease != null) {
                        watched.remove(port.getKey());
                        learned.accept(port.getKey(), lease.ipAddress());
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            System.getLogger(IpLearning.class.getName()).log(System.Logger.Level.DEBUG, "lease lookup failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
