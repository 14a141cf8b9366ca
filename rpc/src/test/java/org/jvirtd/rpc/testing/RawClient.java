package org.jvirtd.rpc.testing;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.PacketFramer;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrWriter;

/** A client that speaks the wire protocol by hand, for what virsh would never send. */
public final class RawClient implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final PacketFramer framer = new PacketFramer();
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
    private int serial;

    public RawClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    public void send(ByteBuffer packet) throws IOException {
        while (packet.hasRemaining()) {
            channel.write(packet);
        }
    }

    /** Sends a REMOTE CALL with the next serial and returns that serial. */
    public int call(int procedure, Consumer<XdrWriter> args) throws IOException {
        int callSerial = serial++;
        send(Packet.encode(new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION, procedure, MessageType.CALL,
            callSerial, MessageStatus.OK), args));
        return callSerial;
    }

    /** The next packet, or null when none arrives within the timeout. */
    public Packet read(long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            byte[] body = framer.next(in);
            if (body != null) {
                return Packet.parse(body);
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || selector.select(left) == 0) {
                return null;
            }
            selector.selectedKeys().clear();
            in.compact();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                throw new EOFException("server closed the connection");
            }
        }
    }

    /** Calls and waits for the reply (skipping keepalive and event messages). */
    public Packet roundTrip(int procedure, Consumer<XdrWriter> args) throws IOException {
        int callSerial = call(procedure, args);
        while (true) {
            Packet packet = read(10_000);
            if (packet == null) {
                throw new IOException("no reply to procedure " + procedure);
            }
            if (packet.header().type() == MessageType.REPLY && packet.header().serial() == callSerial) {
                return packet;
            }
        }
    }

    public static RemoteError error(Packet reply) {
        if (reply.header().status() != MessageStatus.ERROR) {
            throw new AssertionError("expected an error reply, got " + reply.header());
        }
        return RemoteError.read(reply.payload());
    }

    /** True when the server closed this connection within the timeout. */
    public boolean closedByServer(long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            while (System.currentTimeMillis() < deadline) {
                read(deadline - System.currentTimeMillis());
            }
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** AUTH_LIST then CONNECT_OPEN of test:///default, as a client library does. */
    public void open() throws IOException {
        roundTrip(66, null);
        Packet reply = roundTrip(1, out -> {
            out.writeBool(true);
            out.writeString("test:///default");
            out.writeInt(0);
        });
        if (reply.header().status() != MessageStatus.OK) {
            throw new IOException("open failed: " + RemoteError.read(reply.payload()));
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
