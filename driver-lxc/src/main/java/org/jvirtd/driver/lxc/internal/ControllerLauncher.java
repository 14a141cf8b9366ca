package org.jvirtd.driver.lxc.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.lxc.internal.controller.ControllerConfig;
import org.jvirtd.driver.lxc.internal.controller.ControllerMain;

/**
 * Starts a container's controller as a process of its own ({@code java ... ControllerMain CONFIG}, output
 * appended to the domain's log, in the network namespace jvirtd.conf names if any), connects to its socket
 * and returns once the container's init runs, or fails with what the controller logged.
 */
final class ControllerLauncher {
    private static final long START_SECONDS = 90;

    private ControllerLauncher() {
    }

    static ContainerRun launch(DomainHandle h, ControllerConfig config, ContainerCgroups cgroups,
                               List<String> prefix) {
        Path configFile = h.runDir().resolve(h.name() + ".ctl");
        Path socket = Path.of(config.socket());
        Path log = h.logDir().resolve(h.name() + ".log");
        try {
            Files.createDirectories(h.runDir());
            Files.createDirectories(h.logDir());
            config.write(configFile);
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(javaCommand(h.runDir()));
            argv.addAll(List.of(ControllerMain.class.getName(), configFile.toString()));
            Files.writeString(log, "starting: " + String.join(" ", argv) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Files.deleteIfExists(socket);
            Process controller = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            ControllerLink link = connect(controller, socket, log);
            String running;
            try {
                running = link.running().get(START_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                link.close();
                controller.waitFor(10, TimeUnit.SECONDS);
                throw VirtErrors.internal(ErrorDomain.LXC, "guest failed to start: " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                link.close();
                controller.destroyForcibly();
                throw VirtErrors.operationFailed(ErrorDomain.LXC, "the container did not start within "
                    + START_SECONDS + " s: " + lastLines(log));
            }
            h.putRuntime(ContainerRun.facts(controller.pid(), socket, running, cgroups));
            return new ContainerRun(h, controller.pid(), link, cgroups);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.LXC, "failed to start the container's controller: "
                + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.LXC, "interrupted while starting the container");
        }
    }

    private static List<String> javaCommand(Path runDir) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return List.of(java, "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djdk.lang.Process.launchMechanism=VFORK", "-cp",
            ControllerClasspath.resolve(runDir.resolve("lib")));
    }

    /** Waits for the controller's socket (or its early end) and connects to it. */
    private static ControllerLink connect(Process controller, Path socket, Path log)
        throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try {
                    return ControllerLink.connect(socket);
                } catch (IOException e) {
                    // bound but not listening yet
                }
            }
            if (!controller.isAlive()) {
                throw VirtErrors.internal(ErrorDomain.LXC, "guest failed to start: " + lastLines(log));
            }
            Thread.sleep(50);
        }
        controller.destroyForcibly();
        throw VirtErrors.operationFailed(ErrorDomain.LXC, "the container's controller did not come up within "
            + START_SECONDS + " s");
    }

    static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether {@code pid} is a live controller of this config (its command line names the config file). */
    static boolean isController(long pid, Path configFile) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains(configFile.toString());
        } catch (IOException e) {
            return false;
        }
    }
}
