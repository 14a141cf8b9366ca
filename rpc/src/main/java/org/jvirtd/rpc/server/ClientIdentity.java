package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Works out, once at accept, who a client is: its peer credentials on unix, its address on TCP. */
final class ClientIdentity {
    private ClientIdentity() {
    }

    /** A TCP end as libvirt writes it, "host;port"; null when the socket is gone. */
    static String address(SocketChannel channel, boolean local) {
        try {
            InetSocketAddress end = (InetSocketAddress) (local ? channel.getLocalAddress() : channel.getRemoteAddress());
            return end == null ? null : end.getAddress().getHostAddress() + ";" + end.getPort();
        } catch (IOException e) {
            return null;
        }
    }

    static ClientInfo describe(long id, SocketChannel channel, Listener listener) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        if (listener.isUnix()) {
            PeerCredentials.Peer peer = PeerCredentials.of(channel);
            return new ClientInfo(id, now, Transport.UNIX, listener.readOnly(), null,
                peer == null ? null : peer.user(), peer == null ? null : peer.group(), null);
        }
        String address = address(channel, false);
        return new ClientInfo(id, now, listener.transport(), listener.readOnly(), address, null, null, null);
    }
}
