package org.jvirtd.core.config;

import org.jvirtd.platform.conf.ConfFile;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's settings (jvirtd.conf, libvirtd.conf syntax and keys) and paths, as a service.
 */
@ProviderType
public interface DaemonConfig {
    ConfFile settings();

    DaemonPaths paths();

    /** Whether the daemon was started with -l/--listen (TCP/TLS listeners wanted). */
    boolean listen();

    /** How long a call waits for a driver, mode or backend that is being updated, in milliseconds. */
    long graceMillis();

    /**
     * Calls {@code listener} after the settings were reloaded (SIGHUP), until the returned handle is
     * closed. {@link #settings()} returns the new settings by then.
     */
    AutoCloseable onReload(Runnable listener);
}
