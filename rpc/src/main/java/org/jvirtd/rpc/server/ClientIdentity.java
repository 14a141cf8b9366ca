package org.jvirtd.rpc.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Works out, once at accept, who a client is: its peer credentials on unix, its address on TCP. */
final class ClientIdentity {
    private ClientIdentity() {
    }

    static ClientInfo describe(long id, SocketChannel channel, Listener listener) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        if (listener.isUnix()) {
            PeerCredentials.Peer peer = PeerCredentials.of(channel);
            return new ClientInfo(id, now, Transport.UNIX, listener.readOnly(), null,
                peer == null ? null : peer.user(), peer == null ? null : peer.group(), null);
        }
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        // libvirt writes "host;port"
        String address = remote.getAddress().getHostAddress() + ";" + remote.getPort();
        return new ClientInfo(id, now, listener.transport(), listener.readOnly(), address, null, null, null);
    }
}
