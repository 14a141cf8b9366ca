package org.jvirtd.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.platform.console.ConsoleSocket;

/**
 * bin/jvirtd-shell: a Gogo session on the running daemon through its operator shell socket, as Karaf's
 * client attaches to Karaf. Commands come from -c (each run in turn), from stdin when it is not a
 * terminal (one a line), or from the interactive line editor (history in ~/.jvirtd-shell_history).
 * Exits with the last command's status.
 */
public final class OperatorShell {
    static final String USAGE = """
        Usage: jvirtd-shell [OPTIONS] [-c COMMAND]...
          -c, --command COMMAND  run COMMAND (Gogo syntax, e.g. 'lb' or 'virt:list --all') and exit;
                                 several run in turn. Without -c commands are read from stdin, or
                                 interactively (history, completion) on a terminal.
          --root DIR             the daemon started with --root DIR
          -s, --socket PATH      the shell socket (default: shell-sock in the daemon's run directory:
                                 /run/jvirtd for root, $XDG_RUNTIME_DIR/jvirtd otherwise)
          -h, --help             this help
        """;

    private OperatorShell() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        List<String> commands = new ArrayList<>();
        String root = null;
        String socket = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                case "-c", "--command", "--root", "-s", "--socket" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("jvirtd-shell: option " + arg + " needs a value");
                        System.err.print(USAGE);
                        return 1;
                    }
                    String value = args[++i];
                    if (arg.equals("--root")) {
                        root = value;
                    } else if (arg.equals("-s") || arg.equals("--socket")) {
                        socket = value;
                    } else {
                        commands.add(value);
                    }
                }
                default -> {
                    System.err.println("jvirtd-shell: unknown option " + arg);
                    System.err.print(USAGE);
                    return 1;
                }
            }
        }
        Path path = socket != null ? Path.of(socket)
            : ConsoleSocket.of(root, Launcher.privileged(), System.getenv(), System.getProperty("user.home"));
        try (ConsoleConnection connection = connect(path)) {
            if (!commands.isEmpty()) {
                int status = 0;
                for (String command : commands) {
                    for (String line : command.split("\n")) {
                        status = checked(connection.run(line));
                    }
                }
                return status;
            }
            if (System.console() == null) {
                return fromStdin(connection);
            }
            String home = System.getenv("HOME");
            Path history = Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"),
                ".jvirtd-shell_history");
            return checked(InteractiveShell.run(connection, history));
        } catch (IOException e) {
            System.err.println("jvirtd-shell: " + e.getMessage());
            return 1;
        }
    }

    private static ConsoleConnection connect(Path path) throws IOException {
        try {
            return ConsoleConnection.open(path);
        } catch (AccessDeniedException | SocketException e) {
            if (Files.exists(path) && !Files.isWritable(path)) {
                throw new IOException("cannot connect to " + path + ": Permission denied (the operator shell is"
                    + " for the daemon's user and root)");
            }
            throw new IOException("cannot connect to " + path + ": " + e.getMessage() + " (is the daemon running?)");
        } catch (IOException e) {
            if (!Files.exists(path)) {
                throw new IOException("cannot connect to " + path + ": No such file (is the daemon running?)");
            }
            throw e;
        }
    }

    private static int fromStdin(ConsoleConnection connection) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = 0;
        for (String line; (line = in.readLine()) != null; ) {
            status = checked(connection.run(line));
        }
        return status;
    }

    private static int checked(int status) throws IOException {
        if (status == ConsoleConnection.CLOSED) {
            throw new IOException("the daemon closed the session");
        }
        return status;
    }
}
