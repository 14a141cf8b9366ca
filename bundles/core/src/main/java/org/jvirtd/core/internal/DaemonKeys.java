package org.jvirtd.core.internal;

import java.util.Set;

/**
 * The settings jvirtd.conf understands: libvirtd.conf's keys plus jvirtd's own.
 */
final class DaemonKeys {
    private static final Set<String> KNOWN = Set.of(
        "listen_tls", "listen_tcp", "tls_port", "tcp_port", "listen_addr",
        "mdns_adv", "mdns_name",
        "unix_sock_group", "unix_sock_ro_perms", "unix_sock_rw_perms", "unix_sock_admin_perms", "unix_sock_dir",
        "auth_unix_ro", "auth_unix_rw", "auth_tcp", "auth_tls", "tcp_min_ssf", "access_drivers",
        "key_file", "cert_file", "ca_file", "crl_file",
        "tls_no_sanity_certificate", "tls_no_verify_certificate", "tls_allowed_dn_list", "tls_priority",
        "sasl_allowed_username_list",
        "max_clients", "max_queued_clients", "max_anonymous_clients",
        "min_workers", "max_workers", "prio_workers", "max_client_requests",
        "admin_min_workers", "admin_max_workers", "admin_max_clients", "admin_max_queued_clients",
        "admin_max_client_requests",
        "log_level", "log_filters", "log_outputs",
        "audit_level", "audit_logging",
        "host_uuid", "host_uuid_source",
        "keepalive_interval", "keepalive_count", "keepalive_required",
        "admin_keepalive_interval", "admin_keepalive_count", "admin_keepalive_required",
        "ovs_timeout",
        "driver_grace_period", "network_namespace", "secrets_encryption_key");

    private DaemonKeys() {
    }

    static boolean isKnown(String key) {
        return KNOWN.contains(key);
    }

    static Set<String> all() {
        return KNOWN;
    }
}
