package org.jvirtd.rpc.dispatch;

import org.jvirtd.api.ErrorDomain;

/** Which open connection a procedure needs before its handler may run. */
public enum ConnectionScope {
    /** Runs on a fresh socket: authentication, CONNECT_OPEN, CONNECT_CLOSE. */
    NONE,
    /** The hypervisor connection (domains, host): "hypervisor connection not open" otherwise. */
    HYPERVISOR,
    /** A secondary driver (network, storage, ...): "connection not open" otherwise. */
    SECONDARY;

    /** The scope libvirtd's remoteGet*Conn gives a procedure that has no handler here. */
    static ConnectionScope of(RemoteProcedure procedure) {
        if (procedure.api() == null) {
            return NONE;
        }
        int domain = RpcErrors.apiDomain(procedure.api());
        boolean hypervisor = domain == ErrorDomain.DOMAIN.number() || domain == ErrorDomain.NONE.number()
            || domain == ErrorDomain.STREAMS.number() || domain == RpcErrors.FROM_DOMAIN_SNAPSHOT
            || domain == RpcErrors.FROM_DOMAIN_CHECKPOINT;
        return hypervisor ? HYPERVISOR : SECONDARY;
    }
}
