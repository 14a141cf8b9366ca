package org.jvirtd.console;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandProcessor;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.platform.console.ConsoleSocket;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The operator shell of the running daemon: Gogo sessions for {@code bin/jvirtd-shell} on
 * {@code shell-sock} in the instance's run directory (mode 0600, and only the daemon's own user or
 * root is served), as Karaf's console serves its client. Every command of the daemon's shell works
 * there: {@code lb}, {@code update}, {@code virt:*}.
 */
@Component(immediate = true)
public final class OperatorConsole {
    private final ConsoleListener listener;

    @Activate
    public OperatorConsole(@Reference CommandProcessor processor, @Reference DaemonConfig config) throws IOException {
        Path socket = ConsoleSocket.in(config.paths().runDir());
        this.listener = ConsoleListener.open(socket, processor);
    }

    @Deactivate
    void deactivate() {
        listener.close();
    }
}
