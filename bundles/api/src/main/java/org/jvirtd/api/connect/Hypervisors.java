package org.jvirtd.api.connect;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens connections to the hypervisor drivers: the entry point of the RPC server and the shell.
 */
@ProviderType
public interface Hypervisors {
    /**
     * Opens a connection to the driver that serves {@code uri} (null or empty: the default driver),
     * waiting out a driver update in progress for the configured grace period.
     *
     * @param readOnly whether the connection may only look (libvirt's read-only socket)
     */
    Connection open(URI uri, boolean readOnly);

    /** The URI a client gets when it asks for none (virConnectOpen with NULL). */
    URI defaultUri();
}
