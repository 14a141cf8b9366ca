package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;

/**
 * One running container as the driver sees it: its controller (pid and socket link), its cgroups, and how
 * the controller's reports become libvirt state changes. What the driver does itself (destroy) is not
 * reported back; a released run (driver stopping, daemon exiting) reports nothing and leaves the container
 * to the next driver instance.
 */
final class ContainerRun {
    static final String CONTROLLER_PID = "controllerPid";
    static final String SOCKET = "socket";
    static final String INIT_PID = "initPid";
    static final String CONSOLE = "console";
    static final String CGROUPS = "cgroups";
    private static final long STOP_SECONDS = 30;

    private final DomainHandle handle;
    private final long controllerPid;
    private final ControllerLink link;
    private final ContainerCgroups cgroups;
    private volatile boolean quiet;
    private volatile boolean released;

    ContainerRun(DomainHandle handle, long controllerPid, ControllerLink link, ContainerCgroups cgroups) {
        this.handle = handle;
        this.controllerPid = controllerPid;
        this.link = link;
        this.cgroups = cgroups;
    }

    /** Starts following the controller's reports; {@code onGone} runs once the container has ended. */
    void follow(Runnable onGone) {
        link.listen(this::onLine);
        link.ended().thenAccept(last -> {
            if (!released) {
                onEnd(last);
                onGone.run();
            }
        });
    }

    DomainHandle handle() {
        return handle;
    }

    long controllerPid() {
        return controllerPid;
    }

    ContainerCgroups cgroups() {
        return cgroups;
    }

    /** The facts recorded in the domain's status file, from a {@code running PID CONSOLE} line. */
    static Map<String, String> facts(long controllerPid, Path socket, String running, ContainerCgroups cgroups) {
        String[] parts = running.split(" ");
        return Map.of(CONTROLLER_PID, Long.toString(controllerPid), SOCKET, socket.toString(), INIT_PID, parts[1],
            CONSOLE, parts[2], CGROUPS, cgroups.record());
    }

    private void onLine(String line) {
        if (line.startsWith("running ") && !released) {
            String[] parts = line.split(" ");
            handle.putRuntime(Map.of(INIT_PID, parts[1], CONSOLE, parts[2]));
        }
    }

    private void onEnd(String last) {
        if (quiet) {
            return;
        }
        int reason = last.equals("exit shutdown") ? StateReason.SHUTOFF_SHUTDOWN
            : last.equals("exit destroyed") ? StateReason.SHUTOFF_DESTROYED
            : last.startsWith("failed") ? StateReason.SHUTOFF_FAILED : StateReason.SHUTOFF_CRASHED;
        handle.stateChanged(DomainState.SHUTOFF, reason);
    }

    /** Sends a command to the controller; fails with libvirt's operation-failed error when it refuses. */
    void command(String command) {
        String error;
        try {
            error = link.command(command);
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "cannot reach the container's controller: "
                + e.getMessage());
        }
        if (error != null) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, error);
        }
    }

    /** Kills the container's init and waits until the controller has cleaned up and ended. */
    void destroy() {
        quiet = true;
        command("destroy");
        try {
            link.ended().get(STOP_SECONDS, TimeUnit.SECONDS);
            ProcessHandle.of(controllerPid).ifPresent(p -> p.onExit().orTimeout(STOP_SECONDS, TimeUnit.SECONDS)
                .join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "interrupted while destroying");
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CompletionException e) {
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "the container's controller did not end within "
                + STOP_SECONDS + " s");
        }
    }

    /** Lets go of the controller, which keeps the container running for a later driver instance. */
    void release() {
        released = true;
        link.close();
    }
}
