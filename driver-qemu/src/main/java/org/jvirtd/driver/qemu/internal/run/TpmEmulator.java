package org.jvirtd.driver.qemu.internal.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The swtpm process behind a guest's emulated TPM, run as libvirt runs it: the TPM's state in
 * {@code swtpm/<uuid>/tpm2} (tpm1.2 for a TPM 1.2) beside the driver's state directory, made once by
 * {@code swtpm_setup} with an endorsement key and certificates; {@code swtpm socket} on the control socket the
 * command line names, ending itself when QEMU lets go of it ({@code --terminate}), and stopped by the driver
 * with the guest otherwise. Its log is {@code <name>-swtpm.log} in the driver's log directory. A root daemon
 * runs both tools as qemu.conf's swtpm_user ({@link SwtpmUser}), as libvirt does, so the shared local CA of
 * swtpm_setup (/var/lib/swtpm-localca) stays that user's.
 */
public final class TpmEmulator {
    /** The runtime fact that holds the running swtpm's pid, so a reattached run can stop it. */
    public static final String PID = "swtpmPid";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final GuestDef.Tpm tpm;
    private final Path stateDir;
    private final Path socket;
    private final Path pidFile;
    private final Path log;
    private final String vmId;
    private volatile long pid;

    private TpmEmulator(GuestDef.Tpm tpm, Path stateDir, Path socket, Path log, String vmId) {
        this.tpm = tpm;
        this.stateDir = stateDir;
        this.socket = socket;
        this.pidFile = socket.resolveSibling(socket.getFileName().toString().replaceAll("\\.sock$", ".pid"));
        this.log = log;
        this.vmId = vmId;
    }

    /** The emulator of the definition's emulated TPM, or null when it has none. */
    public static TpmEmulator of(DomainHandle h, GuestDef def, QemuConf cfg) {
        GuestDef.Tpm tpm = def.devices().tpms().stream().filter(t -> "emulator".equals(t.backend())).findFirst()
            .orElse(null);
        if (tpm == null) {
            return null;
        }
        return new TpmEmulator(tpm, stateRoot(h.stateDir(), h.uuid()).resolve(versionDir(tpm)),
            cfg.swtpmSocket(h.id(), h.name()), h.logDir().resolve(h.name() + "-swtpm.log"),
            h.name() + ":" + h.uuid());
    }

    /** Where a domain's TPM states live: libvirt's /var/lib/libvirt/swtpm/UUID in the daemon's layout. */
    public static Path stateRoot(Path driverStateDir, UUID uuid) {
        return driverStateDir.resolveSibling("swtpm").resolve(uuid.toString());
    }

    private static String versionDir(GuestDef.Tpm tpm) {
        return "2.0".equals(tpm.effectiveVersion()) ? "tpm2" : "tpm1.2";
    }

    /** Creates the TPM's state on its first start, then runs swtpm until its control socket answers. */
    public void start(QemuConf cfg) {
        if (tpm.encrypted()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "jvirtd does not encrypt TPM state yet");
        }
        try {
            Files.createDirectories(stateDir);
            Files.createDirectories(socket.getParent());
            Files.createDirectories(log.getParent());
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(socket);
            SwtpmUser user = SwtpmUser.of(cfg);
            user.own(stateDir.getParent().getParent(), stateDir, socket.getParent(), log);
            if (!hasState()) {
                run(user.prefix(setupCommand()), "Could not run 'swtpm_setup'");
            }
            run(user.prefix(startCommand()), "Could not start 'swtpm'");
            awaitSocket();
            if (cfg.dropsPrivileges()) {
                // QEMU connects to the control socket as qemu.conf's user
                var users = socket.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(socket, users.lookupPrincipalByName(cfg.user()));
            }
        } catch (IOException e) {
            stop();
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot start swtpm: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Whether swtpm_setup made this TPM's state already (its permanent-state file exists). */
    private boolean hasState() {
        return Files.exists(stateDir.resolve("2.0".equals(tpm.effectiveVersion()) ? "tpm2-00.permall"
            : "tpm-00.permall"));
    }

    List<String> setupCommand() {
        List<String> argv = new ArrayList<>(List.of("swtpm_setup"));
        if ("2.0".equals(tpm.effectiveVersion())) {
            argv.add("--tpm2");
            if (!tpm.pcrBanks().isEmpty()) {
                argv.addAll(List.of("--pcr-banks", String.join(",", tpm.pcrBanks())));
            }
        }
        argv.addAll(List.of("--tpm-state", stateDir.toString(), "--vmid", vmId, "--logfile", log.toString(),
            "--createek", "--create-ek-cert", "--create-platform-cert", "--lock-nvram", "--not-overwrite"));
        return argv;
    }

    List<String> startCommand() {
        List<String> argv = new ArrayList<>(List.of("swtpm", "socket",
            "--ctrl", "type=unixio,path=" + socket + ",mode=0600",
            "--tpmstate", "dir=" + stateDir + ",mode=0600",
            "--log", "file=" + log,
            "--terminate"));
        if ("2.0".equals(tpm.effectiveVersion())) {
            argv.add("--tpm2");
        }
        argv.addAll(List.of("--pid", "file=" + pidFile, "--daemon"));
        return argv;
    }

    /** Runs a swtpm tool to its end, its output appended to the log (a daemonized swtpm keeps no pipe open). */
    private void run(List<String> argv, String failure) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, failure + ": no answer in "
                    + START_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, failure + ": interrupted");
        }
        if (p.exitValue() != 0) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, failure + ". exitstatus: " + p.exitValue()
                + "; Check error log '" + log + "' for details.");
        }
    }

    private void awaitSocket() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(socket) && Files.exists(pidFile) && !Files.readString(pidFile).isBlank())) {
            if (System.nanoTime() > deadline) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "swtpm did not open '" + socket + "' within "
                    + START_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while starting swtpm");
            }
        }
        pid = Long.parseLong(Files.readString(pidFile).strip());
    }

    /** Whether the TPM's state outlives a transient domain ({@code persistent_state='yes'}). */
    public boolean persistentState() {
        return tpm.persistentState();
    }

    /** The pid of the running swtpm (0 before it started). */
    public long pid() {
        return pid;
    }

    /** The runtime facts that let a later driver instance stop this swtpm. */
    public Map<String, String> facts() {
        return Map.of(PID, Long.toString(pid));
    }

    /** Ends swtpm if it still runs (it ends itself when QEMU disconnects) and removes its socket and pid file. */
    public void stop() {
        stop(pid);
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // leftovers in the run directory; the next start replaces them
        }
    }

    /** Ends the swtpm a run recorded in its runtime facts, if it is still that swtpm. */
    public static void stopRecorded(Map<String, String> runtime) {
        String recorded = runtime.get(PID);
        if (recorded != null && !recorded.isBlank()) {
            stop(Long.parseLong(recorded.strip()));
        }
    }

    private static void stop(long pid) {
        if (pid <= 0 || !isSwtpm(pid)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private static boolean isSwtpm(long pid) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return cmdline.startsWith("swtpm\0") || cmdline.contains("/swtpm\0");
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a domain's TPM state (undefine, or the end of a transient domain), as libvirt does. */
    public static void deleteState(Path driverStateDir, UUID uuid) {
        Path root = stateRoot(driverStateDir, uuid);
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot delete TPM state '" + root + "': " + e.getMessage(), e);
        }
    }
}
