package org.jvirtd.rpc.server;

import org.jvirtd.platform.conf.ConfFile;

/**
 * The limits libvirtd.conf sets for the RPC server, with libvirtd's defaults.
 *
 * @param keepaliveInterval seconds of silence before a PING; -1 disables the daemon's PINGs
 * @param keepaliveCount unanswered PINGs after which the client is closed
 * @param maxAnonymousClients max_anonymous_clients: clients still authenticating (0 on the admin server)
 */
public record ServerSettings(int maxClients, int maxQueuedClients, int minWorkers, int maxWorkers, int prioWorkers,
                             int maxClientRequests, int keepaliveInterval, int keepaliveCount,
                             int maxAnonymousClients) {
    private static final int DEFAULT_MAX_ANONYMOUS_CLIENTS = 20;

    /** Settings with libvirtd's max_anonymous_clients default. */
    public ServerSettings(int maxClients, int maxQueuedClients, int minWorkers, int maxWorkers, int prioWorkers,
                          int maxClientRequests, int keepaliveInterval, int keepaliveCount) {
        this(maxClients, maxQueuedClients, minWorkers, maxWorkers, prioWorkers, maxClientRequests, keepaliveInterval,
            keepaliveCount, DEFAULT_MAX_ANONYMOUS_CLIENTS);
    }

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
            (int) conf.number("keepalive_count", d.keepaliveCount()),
            (int) conf.number("max_anonymous_clients", d.maxAnonymousClients()));
    }

    private static int positive(ConfFile conf, String key, int fallback) {
        long value = conf.number(key, fallback);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(conf.name() + ": " + key + " must be at least 1, got " + value);
        }
        return (int) value;
    }
}
