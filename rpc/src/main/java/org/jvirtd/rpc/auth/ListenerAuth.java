package org.jvirtd.rpc.auth;

/** The authentication one socket asks of its clients, and the daemon settings it runs with. */
public record ListenerAuth(AuthMethod method, AuthSettings settings) {
    public static final ListenerAuth NONE = new ListenerAuth(AuthMethod.NONE, AuthSettings.defaults());
}
