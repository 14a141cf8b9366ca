package org.jvirtd.rpc.admin;

import org.jvirtd.rpc.wire.RemoteError;

/** An ADMIN call that fails with a libvirt error the reply carries as it is. */
final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RemoteError error;

    AdminException(RemoteError error) {
        super(error.message());
        this.error = error;
    }

    RemoteError error() {
        return error;
    }
}
