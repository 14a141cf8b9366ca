package org.jvirtd.driver.qemu.internal.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The virtiofsd of each virtiofs share a guest has (those whose definition names no socket of a daemon started
 * elsewhere), run as libvirt runs them: the binary the definition names, else the one of the system's vhost-user
 * descriptors of type "fs" (/usr/share/qemu/vhost-user, /etc/qemu/vhost-user: Debian's
 * /usr/lib/qemu/virtiofsd), {@code -o source=DIR} with the definition's switches, listening on the socket the
 * command line names, its output in {@code <name>-<alias>-virtiofsd.log}. A virtiofsd ends when QEMU lets go of it;
 * the driver ends what is left with the guest.
 */
public final class VirtiofsDaemons {
    /** The runtime fact that holds the running virtiofsd pids, so a reattached run can end them. */
    public static final String PIDS = "virtiofsdPids";
    private static final List<Path> DESCRIPTOR_DIRS = List.of(Path.of("/usr/share/qemu/vhost-user"),
        Path.of("/etc/qemu/vhost-user"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final List<Process> running = new ArrayList<>();

    private VirtiofsDaemons() {
    }

    /** Starts the guest's virtiofsd daemons; none when it has no share that needs one. */
    public static VirtiofsDaemons start(DomainHandle h, GuestDef def, QemuConf cfg) {
        VirtiofsDaemons daemons = new VirtiofsDaemons();
        List<GuestDef.Filesystem> filesystems = def.devices().filesystems();
        try {
            for (int i = 0; i < filesystems.size(); i++) {
                GuestDef.Filesystem fs = filesystems.get(i);
                if (fs.virtiofs() != null && fs.virtiofs().socket() == null) {
                    String alias = "fs" + i;
                    daemons.running.add(startOne(fs, cfg.virtiofsSocket(h.id(), h.name(), alias),
                        h.logDir().resolve(h.name() + "-" + alias + "-virtiofsd.log")));
                }
            }
        } catch (RuntimeException e) {
            daemons.stop();
            throw e;
        }
        return daemons;
    }

    private static Process startOne(GuestDef.Filesystem fs, Path socket, Path log) {
        List<String> argv = command(binaryOf(fs.virtiofs()), fs, socket);
        try {
            Files.createDirectories(socket.getParent());
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(socket);
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!Files.exists(socket)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw VirtErrors.operationFailed(ErrorDomain.QEMU, "virtiofsd died unexpectedly: "
                        + lastLines(log));
                }
                Thread.sleep(20);
            }
            return p;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot start virtiofsd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while starting virtiofsd");
        }
    }

    /** virtiofsd's command line: the socket, then {@code -o source=...} and the switches in libvirt's order. */
    static List<String> command(String binary, GuestDef.Filesystem fs, Path socket) {
        GuestDef.Virtiofs v = fs.virtiofs();
        StringBuilder options = new StringBuilder("source=").append(Props.escapeCommas(fs.source()));
        if (v.cache() != null) {
            options.append(",cache=").append(v.cache());
        }
        if (v.sandbox() != null) {
            options.append(",sandbox=").append(v.sandbox());
        }
        options.append(toggle(v.xattr(), "xattr")).append(toggle(v.flock(), "flock"))
            .append(toggle(v.posixLock(), "posix_lock"));
        List<String> argv = new ArrayList<>(List.of(binary, "--socket-path=" + socket, "-o", options.toString()));
        if (v.threadPoolSize() != null && v.threadPoolSize() >= 0) {
            argv.add("--thread-pool-size=" + v.threadPoolSize());
        }
        return argv;
    }

    private static String toggle(String state, String name) {
        if (state == null) {
            return "";
        }
        return "on".equals(state) ? "," + name : ",no_" + name;
    }

    private static String binaryOf(GuestDef.Virtiofs v) {
        if (v.binary() != null) {
            return v.binary();
        }
        Pattern type = Pattern.compile("\"type\"\\s*:\\s*\"fs\"");
        Pattern binary = Pattern.compile("\"binary\"\\s*:\\s*\"([^\"]+)\"");
        for (Path dir : DESCRIPTOR_DIRS) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    String json = Files.readString(f, StandardCharsets.UTF_8);
                    Matcher m = binary.matcher(json);
                    if (type.matcher(json).find() && m.find() && Files.isExecutable(Path.of(m.group(1)))) {
                        return m.group(1);
                    }
                }
            } catch (IOException e) {
                // an unreadable descriptor folder offers no binary
            }
        }
        throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
            "Unable to find a satisfying virtiofsd");
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether any virtiofsd runs for the guest. */
    public boolean any() {
        return !running.isEmpty();
    }

    /** The runtime facts that let a later driver instance end these daemons. */
    public Map<String, String> facts() {
        return Map.of(PIDS, running.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(",")));
    }

    /** Ends the daemons still running (each ends on its own once QEMU is gone). */
    public void stop() {
        running.forEach(VirtiofsDaemons::end);
    }

    private static void end(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Ends the virtiofsd daemons a run recorded in its runtime facts, those that are still virtiofsd. */
    public static void stopRecorded(Map<String, String> runtime) {
        String pids = runtime.get(PIDS);
        if (pids == null || pids.isBlank()) {
            return;
        }
        for (String pid : pids.split(",")) {
            long n = Long.parseLong(pid.strip());
            if (isVirtiofsd(n)) {
                ProcessHandle.of(n).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    private static boolean isVirtiofsd(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                .contains("virtiofsd");
        } catch (IOException e) {
            return false;
        }
    }
}
