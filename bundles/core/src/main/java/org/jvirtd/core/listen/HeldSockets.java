package org.jvirtd.core.listen;

import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * Listening sockets kept open between two instances of a server, as across an update of the rpc bundle:
 * the server that stops hands its listening channels here instead of closing them, the next one takes
 * them back, and clients that connect meanwhile wait in the listen backlog instead of being refused. A
 * channel no server takes back in time is closed (then clients are refused, as with no daemon), and so is
 * every held channel when the daemon stops.
 */
public interface HeldSockets {
    /** The listening channel held for this address, no longer held from here on; null when none is. */
    ServerSocketChannel take(SocketAddress address);

    /**
     * Keeps a listening channel open for the next server on this address.
     *
     * @param socketFile the unix socket's file, removed when the channel is closed; null for TCP
     */
    void hold(SocketAddress address, ServerSocketChannel channel, Path socketFile);
}
