package org.jvirtd.shell;

import java.util.List;

/**
 * A failure the shell reports, printed like virsh prints it: one "error: " line per message, the
 * failed action first and its cause after.
 */
final class ShellError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    ShellError(String... lines) {
        super(String.join("; ", lines));
        this.lines = List.of(lines);
    }

    List<String> lines() {
        return lines;
    }
}
