package org.jvirtd.fuzz;

/**
 * Whether this JVM fuzzes (JAZZER_FUZZ=1, as CI sets it) or replays seeds as regression tests. A fuzz run
 * replays every seed itself before it mutates, so the plain seed tests step aside then and leave the time
 * to the fuzzer.
 */
public final class FuzzMode {
    private FuzzMode() {
    }

    public static boolean fuzzing() {
        return "1".equals(System.getenv("JAZZER_FUZZ"));
    }
}
