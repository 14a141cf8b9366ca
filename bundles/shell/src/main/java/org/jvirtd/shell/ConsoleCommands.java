package org.jvirtd.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.Screenshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh console and screenshot in the Gogo scope {@code virt}: the guest's console on the session's terminal
 * until Ctrl+] (or the end of the session's input), one client per console unless --force; its screen as an
 * image file.
 */
@Component(service = ConsoleCommands.class, property = {"osgi.command.scope=virt", "osgi.command.function=console",
    "osgi.command.function=screenshot"})
public final class ConsoleCommands {
    /** Ctrl+], virsh console's escape. */
    private static final int ESCAPE = 0x1d;

    private final ShellConnections connections;

    @Activate
    public ConsoleCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @Descriptor("connect to the guest console")
    public void console(CommandSession session,
                        @Descriptor("character device name") @Parameter(names = "--devname", absentValue = "")
                        String devname,
                        @Descriptor("force console connection (disconnect already connected sessions)")
                        @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
                        @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                try (ConsoleStream console = c.openConsole(d, devname.isEmpty() ? null : devname, force ? 1 : 0)) {
                    PrintStream out = session.getConsole();
                    out.println("Connected to domain '" + d.name() + "'");
                    out.println("Escape character is ^] (Ctrl + ])");
                    Thread output = new Thread(() -> copyOut(console, out), "virt-console-output");
                    output.setDaemon(true);
                    output.start();
                    copyIn(session.getKeyboard(), console);
                    console.close();
                    out.println();
                }
            }
        });
    }

    @Descriptor("take a screenshot of a current domain console and store it into a file")
    public void screenshot(CommandSession session,
                           @Descriptor("ID of a screen to take screenshot of")
                           @Parameter(names = "--screen", absentValue = "0") int screen,
                           @Descriptor("domain name, id or uuid, then the file to store the image in")
                           String... args) {
        Shell.run(session, "could not take a screenshot of " + (args.length > 0 ? args[0] : ""), () -> {
            if (args.length == 0) {
                throw new ShellError("command 'screenshot' requires <domain> option");
            }
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, args[0]);
                Screenshot shot = c.screenshot(d, screen, 0);
                String file = args.length > 1 ? args[1] : d.name() + "-" + java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm:ss")) + ".png";
                try {
                    java.nio.file.Files.write(java.nio.file.Path.of(file), shot.image());
                } catch (IOException e) {
                    throw new ShellError("cannot store the screenshot in " + file, Shell.reason(e));
                }
                session.getConsole().println("Screenshot saved to " + file + ", with type of " + shot.mimeType());
            }
        });
    }

    private static void copyOut(ConsoleStream console, PrintStream out) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = console.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the console ended; the input side notices at its next key
        }
    }

    private static void copyIn(InputStream keyboard, ConsoleStream console) {
        try {
            int b;
            while ((b = keyboard.read()) >= 0 && b != ESCAPE) {
                console.write(new byte[] {(byte) b}, 0, 1);
            }
        } catch (IOException e) {
            // the guest's device went away: the session is over
        }
    }
}
