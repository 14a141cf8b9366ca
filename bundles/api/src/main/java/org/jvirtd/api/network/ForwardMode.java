package org.jvirtd.api.network;

import org.jvirtd.api.VirtErrors;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One network forward mode (nat, route, bridge, none for isolated, open): brings a defined network up
 * and down on the host. Registered with {@link #PROPERTY} set to {@link #mode()}.
 */
@ConsumerType
public interface ForwardMode {
    String PROPERTY = "jvirtd.net.forward";

    String mode();

    /** Creates what the network needs on the host (bridge, dnsmasq, firewall rules). */
    void start(NetworkHandle network);

    /** Removes exactly what {@link #start} created. */
    void stop(NetworkHandle network);

    /** Takes over a network that is already up; false if it is gone. */
    default boolean reattach(NetworkHandle network) {
        return false;
    }

    /** Applies a live change (net-update) to a running network. */
    default void update(NetworkHandle network, String section, String xml, int command) {
        throw VirtErrors.noSupport("virNetworkUpdate");
    }
}
