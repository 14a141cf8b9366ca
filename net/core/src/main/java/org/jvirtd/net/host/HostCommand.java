package org.jvirtd.net.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/**
 * Runs host tools (ip, nft, iptables, dnsmasq) to completion, in the daemon's own network namespace or,
 * when one is named, inside it through {@code ip netns exec}.
 */
public final class HostCommand {
    private static final long TIMEOUT_SECONDS = 30;

    private final String netns;

    public HostCommand(String netns) {
        this.netns = netns == null ? "" : netns;
    }

    public String netns() {
        return netns;
    }

    /** What a finished command left: exit status and both outputs. */
    public record Result(int status, String out, String err) {
        public boolean ok() {
            return status == 0;
        }
    }

    /** The argv as it will be executed, with the namespace prefix when there is one. */
    public List<String> argv(List<String> command) {
        List<String> argv = new ArrayList<>();
        if (!netns.isEmpty()) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(command);
        return argv;
    }

    /** Runs a command, feeding {@code input} (or nothing) to its stdin. */
    public Result run(List<String> command, String input) {
        ProcessBuilder builder = new ProcessBuilder(argv(command));
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            var out = process.getInputStream().readAllBytes();
            var err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw VirtErrors.internal(ErrorDomain.NETWORK, "Child process (" + String.join(" ", command)
                    + ") timed out");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.internal(ErrorDomain.NETWORK, "interrupted while running " + command.get(0));
        }
    }

    public Result run(String... command) {
        return run(List.of(command), null);
    }

    /** Runs a command that must succeed; a failure becomes libvirt's "Child process (...) unexpected exit status". */
    public String check(List<String> command, String input) {
        Result result = run(command, input);
        if (!result.ok()) {
            throw VirtErrors.internal(ErrorDomain.NETWORK, "Child process (" + String.join(" ", command)
                + ") unexpected exit status " + result.status() + ": " + result.err().strip());
        }
        return result.out();
    }

    public String check(String... command) {
        return check(List.of(command), null);
    }
}
