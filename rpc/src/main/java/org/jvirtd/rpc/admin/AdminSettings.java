package org.jvirtd.rpc.admin;

import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.server.ServerSettings;

/** The admin server's limits from libvirtd.conf's admin_* keys, with libvirtd's defaults. */
public final class AdminSettings {
    private AdminSettings() {
    }

    public static ServerSettings from(ConfFile conf) {
        return new ServerSettings(
            (int) conf.number("admin_max_clients", 5),
            (int) conf.number("admin_max_queued_clients", 5),
            (int) conf.number("admin_min_workers", 1),
            (int) conf.number("admin_max_workers", 5),
            0,
            (int) conf.number("admin_max_client_requests", 5),
            (int) conf.number("admin_keepalive_interval", 5),
            (int) conf.number("admin_keepalive_count", 5),
            0);
    }
}
