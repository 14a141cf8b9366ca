package org.jvirtd.driver.xen.internal.toolstack;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Runs the {@code xl} toolstack: one process per call, its standard output returned, a failure turned into a
 * libvirt error that quotes what xl wrote to standard error. The program is looked up on the PATH the daemon was
 * started with, as libvirt finds its helpers.
 */
public class XlCommand {
    /** How long a quick query (info, list) or control call (pause, shutdown request) may take. */
    public static final Duration QUICK = Duration.ofSeconds(60);
    /** How long a call that writes or reads a whole guest's memory (save, restore) may take. */
    public static final Duration LONG = Duration.ofMinutes(30);

    private final String program;
    private final Map<String, String> environment;

    public XlCommand(String program) {
        this(program, Map.of());
    }

    /** {@code program} run with {@code environment} added to the daemon's own. */
    public XlCommand(String program, Map<String, String> environment) {
        this.program = program;
        this.environment = Map.copyOf(environment);
    }

    /** {@code xl ARGS}, its standard output; fails with the libvirt error if xl exits non-zero. */
    public String run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(List.of(args));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                "cannot run '" + String.join(" ", argv) + "': " + e.getMessage());
        }
        Output out = Output.drain(process.getInputStream(), "stdout");
        Output err = Output.drain(process.getErrorStream(), "stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.LIBXL,
                    "'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + " s");
            }
            int status = process.exitValue();
            String stdout = out.text();
            if (status != 0) {
                throw failed(argv, status, err.text());
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                "interrupted while waiting for '" + String.join(" ", argv) + "'");
        }
    }

    /** xl's own words are the useful part: its last non-empty line of standard error. */
    private static VirtException failed(List<String> argv, int status, String stderr) {
        String reason = "";
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                reason = line.strip();
            }
        }
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL, "'" + String.join(" ", argv)
            + "' failed (exit status " + status + ")" + (reason.isEmpty() ? "" : ": " + reason));
    }

    /**
     * A stream read on a thread of its own, so neither pipe can fill and stall xl. Once xl has exited its text is
     * what arrived until the end of the stream or, at the latest, {@link #GRACE} later: a process xl leaves
     * behind (the monitor {@code xl create} forks) may hold the pipe open for as long as the guest runs.
     */
    private static final class Output {
        static final long GRACE = 2_000;

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        private Output(InputStream in, String name) {
            reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the text so far is what there is
                }
            }, "jvirtd-xl-" + name);
            reader.setDaemon(true);
        }

        static Output drain(InputStream in, String name) {
            Output output = new Output(in, name);
            output.reader.start();
            return output;
        }

        String text() throws InterruptedException {
            reader.join(GRACE);
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
