package org.jvirtd.net.dnsmasq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.net.host.HostCommand;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * One network's dnsmasq: its files (config, hosts files, leases in the state directory, pid file in the
 * run directory), starting it detached so it outlives the daemon, finding it again by its pid file,
 * making it reread its hosts files, and stopping it.
 */
final class DnsmasqProcess {
    private final NetworkDef def;
    private final Path stateDir;
    private final Path runDir;
    private final HostCommand host;

    DnsmasqProcess(NetworkDef def, Path stateDir, Path runDir, HostCommand host) {
        this.def = def;
        this.stateDir = stateDir;
        this.runDir = runDir;
        this.host = host;
    }

    Path conf() {
        return stateDir.resolve(DnsmasqConfig.escape(def.name()) + ".conf");
    }

    Path leases() {
        return stateDir.resolve(DnsmasqConfig.escape(def.name()) + ".leases");
    }

    Path pidFile() {
        return runDir.resolve("dnsmasq.pid");
    }

    /** Writes the files and starts dnsmasq; it forks and its parent returns once it listens. */
    long start(String user) {
        try {
            writeFiles(true);
            Files.deleteIfExists(pidFile());
            if (!Files.exists(leases())) {
                Files.createFile(leases());
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "cannot write dnsmasq files for network '" + def.name()
                + "': " + e.getMessage(), e);
        }
        HostCommand.Result result = host.run(List.of("dnsmasq", "--conf-file=" + conf(), "--pid-file=" + pidFile(),
            "--dhcp-leasefile=" + leases(), "--user=" + user), null);
        if (!result.ok()) {
            throw VirtErrors.internal(ErrorDomain.NETWORK, "Child process (dnsmasq --conf-file=" + conf()
                + ") unexpected exit status " + result.status() + ": " + result.err().strip());
        }
        return pid().orElseThrow(() -> VirtErrors.internal(ErrorDomain.NETWORK,
            "dnsmasq for network '" + def.name() + "' did not write its pid file " + pidFile()));
    }

    /**
     * Writes the config (only when {@code withConfig}) and the hosts files; the hosts files are readable by
     * the unprivileged user dnsmasq rereads them as.
     */
    void writeFiles(boolean withConfig) throws IOException {
        Files.createDirectories(stateDir);
        Files.createDirectories(runDir);
        DnsmasqConfig.Output out = DnsmasqConfig.write(def, new DnsmasqConfig.Files(stateDir, null));
        if (withConfig) {
            AtomicFiles.write(conf(), out.conf());
        }
        for (var file : List.of(Map.entry(DnsmasqConfig.hostsfile(stateDir, def.name()), out.hostsfile()),
            Map.entry(DnsmasqConfig.addnhosts(stateDir, def.name()), out.addnhosts()))) {
            AtomicFiles.write(file.getKey(), file.getValue());
            Files.setPosixFilePermissions(file.getKey(), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** The pid of this network's running dnsmasq, if its pid file names one that is alive and ours. */
    Optional<Long> pid() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.UTF_8).strip());
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            if (!Files.exists(cmdline)) {
                return Optional.empty();
            }
            String args = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            return args.contains("dnsmasq") && args.contains(conf().toString()) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the hosts files and sends SIGHUP so dnsmasq rereads them. */
    void reloadHosts(long pid) {
        try {
            writeFiles(false);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "cannot write dnsmasq hosts files for network '"
                + def.name() + "': " + e.getMessage(), e);
        }
        new HostCommand("").check("kill", "-HUP", Long.toString(pid));
    }

    /** Stops dnsmasq (SIGTERM, then SIGKILL after 5 s) and removes its pid file; leases are kept. */
    void stop() {
        pid().flatMap(ProcessHandle::of).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception notYet) {
                process.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new VirtException(org.jvirtd.api.ErrorCode.SYSTEM_ERROR, ErrorDomain.NETWORK,
                "cannot remove " + pidFile() + ": " + e.getMessage(), e);
        }
    }
}
