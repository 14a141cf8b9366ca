package org.jvirtd.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the executions of one fuzz target and the time from its first to its last, and reports them on
 * stdout and as a line of target/fuzz/report.tsv (target, mode, executions, seconds), for the fuzzing figures
 * the README and the issue ask for.
 */
public final class FuzzTally {
    private final String target;
    private final AtomicLong executions = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;

    public FuzzTally(String target) {
        this.target = target;
    }

    public void count() {
        long now = System.nanoTime();
        if (executions.getAndIncrement() == 0) {
            firstNanos = now;
        }
        lastNanos = now;
    }

    public long executions() {
        return executions.get();
    }

    public void report() {
        String mode = FuzzMode.fuzzing() ? "fuzzing" : "regression";
        double seconds = (lastNanos - firstNanos) / 1e9;
        String line = String.format("%s\t%s\t%d\t%.1f%n", target, mode, executions.get(), seconds);
        System.out.printf("fuzz target %s (%s): %d executions in %.1f s%n", target, mode, executions.get(), seconds);
        String report = System.getProperty("jvirtd.fuzz.report");
        if (report == null) {
            return;
        }
        try {
            Path file = Path.of(report);
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
