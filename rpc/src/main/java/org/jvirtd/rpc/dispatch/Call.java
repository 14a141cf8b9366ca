package org.jvirtd.rpc.dispatch;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.rpc.wire.Header;

/** One call being handled: who made it and with which header. */
public record Call(ClientState client, Header header) {
    /** The client's open connection; the dispatcher checked it is there for scoped procedures. */
    public Connection connection() {
        return client.connection();
    }
}
