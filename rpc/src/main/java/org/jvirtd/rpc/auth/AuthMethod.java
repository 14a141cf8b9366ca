package org.jvirtd.rpc.auth;

import org.jvirtd.platform.conf.ConfFile;

/**
 * How a socket's clients prove who they are (auth_unix_rw, auth_unix_ro, auth_tcp, auth_tls), by
 * REMOTE_AUTH_* number.
 */
public enum AuthMethod {
    NONE(0, "none"), SASL(1, "sasl"), POLKIT(2, "polkit");

    private final int number;
    private final String confName;

    AuthMethod(int number, String confName) {
        this.number = number;
        this.confName = confName;
    }

    /** The REMOTE_AUTH_* value AUTH_LIST answers. */
    public int number() {
        return number;
    }

    /**
     * The method {@code key} names, {@code libvirtDefault} when it is not set.
     *
     * @throws IllegalStateException for a name libvirtd does not know, or polkit on a network socket
     */
    public static AuthMethod of(ConfFile conf, String key, String libvirtDefault) {
        String name = conf.string(key, libvirtDefault);
        for (AuthMethod method : values()) {
            if (method.confName.equals(name)) {
                if (method == POLKIT && (key.equals("auth_tcp") || key.equals("auth_tls"))) {
                    throw new IllegalStateException(key + " = \"polkit\": polkit can only check clients of the "
                        + "unix sockets (it needs the peer's process)");
                }
                return method;
            }
        }
        throw new IllegalStateException(key + ": unknown authentication type '" + name
            + "' (expected \"none\", \"sasl\" or \"polkit\")");
    }
}
