package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A unix or TCP socket used as it is. */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private final int kind;

    PlainTransport(SocketChannel channel, int kind) {
        this.channel = channel;
        this.kind = kind;
    }

    @Override
    public int kind() {
        return kind;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void sendFds(int[] fds) throws IOException {
        if (kind != UNIX) {
            Transport.super.sendFds(fds);
        }
        for (int fd : fds) {
            DescriptorPassing.send(channel, fd);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
