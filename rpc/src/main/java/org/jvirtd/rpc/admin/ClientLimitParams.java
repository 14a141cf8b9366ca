package org.jvirtd.rpc.admin;

import java.util.List;
import java.util.Set;

import org.jvirtd.rpc.admin.AdminTypes.TypedParam;
import org.jvirtd.rpc.server.ClientLimits;

/** A server's client limits as typed parameters, with libvirt's VIR_SERVER_CLIENTS_* names. */
final class ClientLimitParams {
    static final String MAX = "nclients_max";
    static final String UNAUTH_MAX = "nclients_unauth_max";
    /** The ones server-clients-set may change; the others are counters. */
    static final Set<String> SETTABLE = Set.of(MAX, UNAUTH_MAX);

    private ClientLimitParams() {
    }

    static List<TypedParam> of(ClientLimits limits) {
        return List.of(
            TypedParam.uint(MAX, limits.max()),
            TypedParam.uint("nclients", limits.connected()),
            TypedParam.uint(UNAUTH_MAX, limits.maxAnonymous()),
            TypedParam.uint("nclients_unauth", limits.anonymous()));
    }
}
