package org.jvirtd.console;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.jvirtd.platform.console.ConsoleFrames;

/**
 * One client of the operator shell: a Gogo session of its own whose output goes back as frames. Each
 * line the client sends is run as gosh runs it (a result that is not null is printed, a failure is
 * printed as "gogo: Type: message"); its status is 1 after a failure or a virt: command that failed.
 */
final class ConsoleSession {
    /** What the shell bundle's commands set after each run (0 or 1), as scripts test it. */
    private static final String VIRT_STATUS = "VIRT_STATUS";
    private static final String COMMANDS = ".commands";

    private final SocketChannel channel;
    private final CommandProcessor processor;

    ConsoleSession(SocketChannel channel, CommandProcessor processor) {
        this.channel = channel;
        this.processor = processor;
    }

    void run() {
        try (channel) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            String refusal = OperatorPeer.refusal(channel);
            if (refusal != null) {
                ConsoleFrames.write(out, ConsoleFrames.REFUSED, refusal);
                return;
            }
            PrintStream console = new PrintStream(new FrameStream(out, ConsoleFrames.OUT), true, StandardCharsets.UTF_8);
            PrintStream errors = new PrintStream(new FrameStream(out, ConsoleFrames.ERR), true, StandardCharsets.UTF_8);
            CommandSession session = processor.createSession(InputStream.nullInputStream(), console, errors);
            try {
                ConsoleFrames.write(out, ConsoleFrames.COMMANDS, commandNames(session));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    int status = execute(session, line, console, errors);
                    console.flush();
                    errors.flush();
                    ConsoleFrames.done(out, status);
                }
            } finally {
                session.close();
            }
        } catch (IOException e) {
            // the client went away, or the console closed: nothing to tell anyone
        }
    }

    private static int execute(CommandSession session, String line, PrintStream console, PrintStream errors) {
        if (line.isBlank()) {
            return 0;
        }
        session.put(VIRT_STATUS, null);
        try {
            Object result = session.execute(line);
            if (result != null) {
                console.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            errors.println("gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
        return Integer.valueOf(1).equals(session.get(VIRT_STATUS)) ? 1 : 0;
    }

    /** "scope:name" of every command and the bare names, for the client's completion. */
    private static String commandNames(CommandSession session) {
        TreeSet<String> names = new TreeSet<>();
        if (session.get(COMMANDS) instanceof Collection<?> commands) {
            for (Object command : commands) {
                String name = command.toString();
                names.add(name);
                names.add(name.substring(name.indexOf(':') + 1));
            }
        }
        return String.join("\n", names);
    }
}
