package org.jvirtd.core.config;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's idle shutdown (libvirtd's --timeout), as virt-admin daemon-timeout changes it at runtime:
 * the daemon stops once it has had no client connection and no running domain for that many seconds.
 */
@ProviderType
public interface DaemonTimeout {
    /** Seconds of idleness before the daemon stops; 0 when it never stops on its own. */
    long timeoutSeconds();

    /** Sets the idle timeout, counted from now; 0 turns the idle shutdown off. */
    void setTimeoutSeconds(long seconds);
}
