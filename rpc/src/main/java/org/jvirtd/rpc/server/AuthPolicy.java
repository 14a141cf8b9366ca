package org.jvirtd.rpc.server;

import org.jvirtd.platform.conf.ConfFile;

/**
 * The auth_unix_ro, auth_unix_rw, auth_tcp and auth_tls settings. jvirtd implements "none" only, so a
 * listener configured for SASL or polkit is refused with the reason instead of served unprotected;
 * TCP, whose libvirt default is "sasl", runs only when auth_tcp = "none" is written out.
 */
final class AuthPolicy {
    private AuthPolicy() {
    }

    /**
     * @throws IllegalStateException saying what to change when {@code key} asks for an unsupported method
     */
    static void requireNone(ConfFile conf, String key, String libvirtDefault) {
        String auth = conf.string(key, libvirtDefault);
        switch (auth) {
            case "none" -> {
            }
            case "sasl" -> throw new IllegalStateException(key + " = \"sasl\"" + (conf.get(key).isEmpty()
                ? " (libvirt's default)" : "") + ": jvirtd has no SASL implementation; "
                + (key.equals("auth_tcp") ? "use listen_tls with client certificates, or set auth_tcp = \"none\" "
                + "to serve TCP without authentication on a trusted network" : "set " + key + " = \"none\""));
            case "polkit" -> throw new IllegalStateException(key + " = \"polkit\": jvirtd has no polkit support; set "
                + key + " = \"none\" and let unix_sock_group and the socket modes decide who connects");
            default -> throw new IllegalStateException(key + ": unknown authentication type '" + auth
                + "' (expected \"none\", \"sasl\" or \"polkit\")");
        }
    }
}
