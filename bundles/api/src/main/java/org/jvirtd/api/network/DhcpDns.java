package org.jvirtd.api.network;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The DHCP and DNS service of virtual networks (dnsmasq). Forward modes use it and never run the
 * server themselves.
 */
@ProviderType
public interface DhcpDns {
    /** Starts the server for a network whose bridge exists. */
    void start(NetworkHandle network);

    void stop(NetworkHandle network);

    /** Takes over a server that is already running; false if it is gone. */
    boolean reattach(NetworkHandle network);

    /** Rewrites the host entries of a running network and makes the server reread them. */
    void reloadHosts(NetworkHandle network);

    List<DhcpLease> leases(NetworkHandle network);
}
