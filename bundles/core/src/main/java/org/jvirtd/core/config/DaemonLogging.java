package org.jvirtd.core.config;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's logging at runtime, in libvirt's notation: filters ("1:qemu 3:rpc") and outputs
 * ("3:stderr 1:file:/var/log/jvirtd/jvirtd.log"), as virt-admin daemon-log-filters/-outputs read and
 * change them. A SIGHUP puts back what jvirtd.conf says.
 */
@ProviderType
public interface DaemonLogging {
    String filters();

    /** The outputs in effect; without log_outputs that is the log_level on stderr ("3:stderr"). */
    String outputs();

    /**
     * @param filters an empty string removes every filter
     * @throws IllegalArgumentException naming the malformed filter
     */
    void setFilters(String filters);

    /**
     * @param outputs an empty string restores the default output
     * @throws IllegalArgumentException naming the malformed output
     */
    void setOutputs(String outputs);
}
