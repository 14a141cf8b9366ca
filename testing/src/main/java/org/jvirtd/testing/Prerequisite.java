package org.jvirtd.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.opentest4j.TestAbortedException;

/**
 * What a test needs from the host (a program, root, loop devices, the shared conformance data): when it
 * is missing, a developer's run skips the test and CI's run ({@code CI=true}, as {@code .ci/run} runs)
 * fails it, naming what is missing, so that a green CI build never hides a test that did not run.
 */
public final class Prerequisite {
    private static final Prerequisite OF_THIS_RUN = new Prerequisite(System.getenv());

    private final boolean ci;

    Prerequisite(Map<String, String> environment) {
        this.ci = "true".equalsIgnoreCase(environment.get("CI"));
    }

    /** Goes on when {@code present}; otherwise skips the test, or fails it under CI, naming {@code what}. */
    public static void require(String what, boolean present) {
        OF_THIS_RUN.check(what, present);
    }

    /** Requires each program to be an executable file on PATH. */
    public static void requirePrograms(String... programs) {
        for (String program : programs) {
            require(program + " on PATH", onPath(program));
        }
    }

    /** Requires a file of ../shared (the conformance data, the fixtures), given by its full path. */
    public static void requireShared(Path file) {
        require("shared data " + file + " (set -Djvirtd.shared or JVIRTD_SHARED)", Files.exists(file));
    }

    void check(String what, boolean present) {
        if (present) {
            return;
        }
        if (ci) {
            throw new AssertionError("missing prerequisite: " + what
                + " (CI=true: a test whose prerequisite is missing fails instead of being skipped)");
        }
        throw new TestAbortedException("missing prerequisite: " + what + " (skipped; under CI=true this fails)");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
