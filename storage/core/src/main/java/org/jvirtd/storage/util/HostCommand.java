package org.jvirtd.storage.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs a storage tool (qemu-img, mount, lvm, parted) to completion and turns a failure into libvirt's
 * "Child process (...) unexpected exit status N: stderr" error.
 */
public final class HostCommand {
    private HostCommand() {
    }

    /** Runs the command and returns its standard output. */
    public static String run(List<String> argv) {
        return run(argv, null);
    }

    /**
     * Runs the command; {@code output}, when given, hears each piece of standard output as it arrives
     * (split at newlines and carriage returns, for progress lines), and the full output is returned.
     */
    public static String run(List<String> argv, Consumer<String> output) {
        return run(argv, output, null);
    }

    /**
     * As {@link #run(List, Consumer)}, with {@code input} (when not null) written to the command's standard
     * input through a pipe, which is then closed: how a key reaches a tool without a file.
     */
    public static String run(List<String> argv, Consumer<String> output, byte[] input) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(argv);
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            process = builder.start();
        } catch (IOException e) {
            throw StorageErrors.internal("Cannot find '" + argv.get(0) + "' in path: " + e.getMessage());
        }
        if (input != null) {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // the tool exited before reading: its status and message tell why
            }
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream(), null));
        String stdout = drain(process.getInputStream(), output);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw StorageErrors.internal("interrupted while running " + String.join(" ", argv));
        }
        if (status != 0) {
            String err = stderr.join().strip();
            throw StorageErrors.internal("Child process (" + String.join(" ", argv) + ") unexpected exit status "
                + status + (err.isEmpty() ? "" : ": " + err));
        }
        return stdout;
    }

    /** Whether a tool can be found on the PATH. */
    public static boolean available(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String drain(InputStream in, Consumer<String> pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream piece = new ByteArrayOutputStream();
        try (in) {
            int b;
            while ((b = in.read()) >= 0) {
                all.write(b);
                if (pieces != null) {
                    if (b == '\n' || b == '\r') {
                        pieces.accept(piece.toString(StandardCharsets.UTF_8));
                        piece.reset();
                    } else {
                        piece.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // the process closed its end; what was read is all there is
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
