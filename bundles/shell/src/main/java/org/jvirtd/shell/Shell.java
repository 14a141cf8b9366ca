package org.jvirtd.shell;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.VirtException;

/**
 * Runs a command body and prints failures as virsh does: "error: what failed" then "error: why",
 * never a stack trace. The session's last status is set so scripts can test it.
 */
final class Shell {
    static final String STATUS_VARIABLE = "VIRT_STATUS";

    private Shell() {
    }

    static void run(CommandSession session, String failure, Runnable body) {
        try {
            body.run();
            setStatus(session, 0);
        } catch (VirtException e) {
            if (failure != null) {
                System.err.println("error: " + failure);
            }
            System.err.println("error: " + e.getMessage());
            setStatus(session, 1);
        } catch (ShellError e) {
            if (failure != null) {
                System.err.println("error: " + failure);
            }
            e.lines().forEach(line -> System.err.println("error: " + line));
            setStatus(session, 1);
        }
    }

    private static void setStatus(CommandSession session, int status) {
        if (session != null) {
            session.put(STATUS_VARIABLE, status);
        }
    }

    static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "No such file or directory" : e.getMessage();
    }
}
