package org.jvirtd.rpc.server;

import org.jvirtd.platform.conf.ConfFile;

/**
 * The limits libvirtd.conf sets for the RPC server, with libvirtd's defaults.
 *
 * @param keepaliveInterval seconds of silence before a PING; -1 disables the daemon's PINGs
 * @param keepaliveCount unanswered PINGs after which the client is closed
 */
public record ServerSettings(int maxClients, int maxQueuedClients, int minWorkers, int maxWorkers, int prioWorkers,
                             int maxClientRequests, int keepaliveInterval, int keepaliveCount) {

    public static ServerSettings defaults() {
        return new ServerSettings(5000, 1000, 5, 20, 5, 5, 5, 5);
    }

    public static ServerSettings from(ConfFile conf) {
        ServerSettings d = defaults();
        return new ServerSettings(
            positive(conf, "max_clients", d.maxClients()),
            positive(conf, "max_queued_clients", d.maxQueuedClients()),
            (int) conf.number("min_workers", d.minWorkers()),
            positive(conf, "max_workers", d.maxWorkers()),
            (int) conf.number("prio_workers", d.prioWorkers()),
            positive(conf, "max_client_requests", d.maxClientRequests()),
            (int) conf.number("keepalive_interval", d.keepaliveInterval()),
            (int) conf.number("keepalive_count", d.keepaliveCount()));
    }

    private static int positive(ConfFile conf, String key, int fallback) {
        long value = conf.number(key, fallback);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(conf.name() + ": " + key + " must be at least 1, got " + value);
        }
        return (int) value;
    }
}
