package org.jvirtd.launcher;

import java.io.IOException;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The operator shell on a terminal: JLine line editing, completion of the daemon's command names and a
 * history kept in a file across sessions; "exit" or Ctrl-D leaves, Ctrl-C drops the line.
 */
final class InteractiveShell {
    private static final String PROMPT = "jvirtd> ";

    private InteractiveShell() {
    }

    /** Reads and runs lines until the user leaves; the status of the last command. */
    static int run(ConsoleConnection connection, Path historyFile) throws IOException {
        int status = 0;
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jvirtd-shell")
                .completer(new StringsCompleter(connection.commands()))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
            try {
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(PROMPT);
                    } catch (UserInterruptException e) {
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    String command = line.strip();
                    if (command.equals("exit") || command.equals("logout")) {
                        break;
                    }
                    status = connection.run(line);
                    if (status == ConsoleConnection.CLOSED) {
                        terminal.writer().println("jvirtd-shell: the daemon closed the session");
                        break;
                    }
                }
            } finally {
                reader.getHistory().save();
            }
        }
        return status;
    }
}
