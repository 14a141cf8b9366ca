package org.jvirtd.rpc.server;

import java.nio.ByteBuffer;

import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;

/** The KEEPALIVE program's two packets: MESSAGE type, serial 0, no payload. */
public final class Keepalive {
    private Keepalive() {
    }

    public static ByteBuffer ping() {
        return packet(Protocol.KEEPALIVE_PING);
    }

    public static ByteBuffer pong() {
        return packet(Protocol.KEEPALIVE_PONG);
    }

    private static ByteBuffer packet(int procedure) {
        return Packet.encode(new Header(Protocol.KEEPALIVE_PROGRAM, Protocol.VERSION, procedure, MessageType.MESSAGE,
            0, MessageStatus.OK), null);
    }
}
