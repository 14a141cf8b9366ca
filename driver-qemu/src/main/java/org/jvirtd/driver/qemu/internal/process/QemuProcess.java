package org.jvirtd.driver.qemu.internal.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.command.QemuCommand;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;

/**
 * Starts QEMU detached from the daemon (-daemonize, a pid file, output appended to the domain's log,
 * as qemu.conf's user and group) and signals or inspects it by pid afterwards.
 */
public final class QemuProcess {
    private QemuProcess() {
    }

    /**
     * Runs the command daemonized, after {@code prefix} (what enters the network namespace); returns QEMU's
     * pid once it is initialised (stopped, with -S).
     */
    public static long launch(List<String> prefix, QemuCommand command, QemuConf cfg, List<String> extraArgs,
                              Path pidFile, Path log) {
        List<String> argv = new ArrayList<>(prefix);
        if (cfg.dropsPrivileges()) {
            argv.addAll(List.of("setpriv", "--reuid=" + cfg.user(),
                "--regid=" + (cfg.group() == null ? cfg.user() : cfg.group()), "--init-groups"));
        }
        argv.add(command.program());
        argv.addAll(command.args());
        argv.addAll(extraArgs);
        argv.addAll(List.of("-daemonize", "-pidfile", pidFile.toString()));
        try {
            Files.deleteIfExists(pidFile);
            Files.createDirectories(log.getParent());
            Files.writeString(log, "starting: " + String.join(" ", argv) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(command.env());
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "QEMU did not finish starting within 60 s");
            }
            if (p.exitValue() != 0) {
                throw VirtErrors.internal(ErrorDomain.QEMU, "process exited while connecting to monitor: "
                    + lastLines(log));
            }
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "failed to start QEMU: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while starting QEMU");
        }
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
    }

    /** Whether the pid is a live QEMU of this run (its command line names the run's monitor socket). */
    public static boolean isRunning(long pid, String monitorSocket) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
            return !zombie && new String(cmdline, StandardCharsets.UTF_8).contains(monitorSocket);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, or SIGKILL when {@code force}. */
    public static void signal(long pid, boolean force) {
        ProcessHandle.of(pid).ifPresent(h -> {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
    }

    /** User plus system CPU time from /proc, in nanoseconds (clock ticks of 10 ms). */
    public static long cpuTimeNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
