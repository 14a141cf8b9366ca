package org.jvirtd.launcher;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.platform.console.ConsoleFrames;
import org.jvirtd.platform.console.ConsoleFrames.Frame;

/**
 * The client's end of the operator shell's socket: sends a command line, writes the output frames to
 * stdout and stderr as they come, and returns the command's status.
 */
final class ConsoleConnection implements AutoCloseable {
    /** Status of a command the daemon did not finish: the session was closed. */
    static final int CLOSED = -1;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;
    private final List<String> commands;

    private ConsoleConnection(SocketChannel channel, DataInputStream in, OutputStream out, List<String> commands) {
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.commands = commands;
    }

    /**
     * Connects to the daemon's shell socket.
     *
     * @throws IOException when nothing listens there, the socket may not be opened, or the daemon refuses
     */
    static ConsoleConnection open(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            Frame first = ConsoleFrames.read(in);
            if (first == null) {
                throw new IOException("the daemon closed the connection");
            }
            if (first.kind() == ConsoleFrames.REFUSED) {
                throw new IOException(first.text());
            }
            if (first.kind() != ConsoleFrames.COMMANDS) {
                throw new IOException("not an operator shell socket: " + socket);
            }
            List<String> commands = first.text().isEmpty() ? List.of() : List.of(first.text().split("\n"));
            return new ConsoleConnection(channel, in, new BufferedOutputStream(Channels.newOutputStream(channel)), commands);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The daemon's command names when the session began ("scope:name" and the bare names). */
    List<String> commands() {
        return commands;
    }

    /** Runs one command line in the daemon; its status, or {@link #CLOSED}. */
    int run(String line) throws IOException {
        out.write((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (Frame frame; (frame = ConsoleFrames.read(in)) != null; ) {
            switch (frame.kind()) {
                case ConsoleFrames.OUT -> {
                    System.out.write(frame.data());
                    System.out.flush();
                }
                case ConsoleFrames.ERR -> {
                    System.err.write(frame.data());
                    System.err.flush();
                }
                case ConsoleFrames.DONE -> {
                    return frame.status();
                }
                default -> throw new IOException("unexpected frame '" + (char) frame.kind() + "'");
            }
        }
        return CLOSED;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
