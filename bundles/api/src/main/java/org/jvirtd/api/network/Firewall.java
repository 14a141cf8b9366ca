package org.jvirtd.api.network;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Firewall rules of virtual networks, kept in tables and chains of jvirtd's own. Registered with
 * {@link #PROPERTY} set to the backend ({@code nftables} or {@code iptables}).
 */
@ProviderType
public interface Firewall {
    String PROPERTY = "jvirtd.firewall";

    /** Adds the rules a network's forward mode needs. */
    void apply(NetworkHandle network);

    /** Removes exactly the rules {@link #apply} added for the network. */
    void remove(NetworkHandle network);
}
