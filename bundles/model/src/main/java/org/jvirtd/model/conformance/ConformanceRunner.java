package org.jvirtd.model.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.json.Json;

/**
 * Runs every case of a suite folder (its cases.json) through the suite's handler and counts the outcome.
 */
public final class ConformanceRunner {
    private final Map<String, SuiteHandler> suites;

    public ConformanceRunner(Map<String, SuiteHandler> suites) {
        this.suites = Map.copyOf(suites);
    }

    /** The outcome of one run: how many cases passed, and each failed case as "name: reason". */
    public record Result(int passed, List<String> failures) {
        public Result {
            failures = List.copyOf(failures);
        }

        public int failed() {
            return failures.size();
        }

        public int total() {
            return passed + failed();
        }

        /**
         * Whether at least {@code floor} cases passed. A suite's floor is the pass count it last reached, so one case
         * that stops passing fails the build.
         */
        public boolean reaches(int floor) {
            return passed >= floor;
        }

        /** What a build that misses the floor reports: the suite, its floor, the count reached and the failed cases. */
        public String belowFloor(String suite, int floor) {
            return suite + ": " + passed + " of " + total() + " cases pass, below the suite's floor of " + floor
                + " passing cases; failed:\n  " + String.join("\n  ", failures);
        }

        @Override
        public String toString() {
            return passed + " passed, " + failed() + " failed";
        }
    }

    public boolean knows(String suite) {
        return suites.containsKey(suite);
    }

    /** Runs the suite, reporting "PASS name" or "FAIL name: reason" per case to {@code out}. */
    public Result run(String suite, Path dir, Consumer<String> out) throws IOException {
        SuiteHandler handler = suites.get(suite);
        if (handler == null) {
            throw new IllegalArgumentException("unknown suite '" + suite + "'; known: " + suites.keySet());
        }
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (ConformanceCase c : cases(dir)) {
            String reason = outcome(handler, c);
            if (reason == null) {
                passed++;
                out.accept("PASS " + c.name());
            } else {
                failures.add(c.name() + ": " + reason.replace('\n', ' '));
                out.accept("FAIL " + failures.get(failures.size() - 1));
            }
        }
        return new Result(passed, failures);
    }

    private static String outcome(SuiteHandler handler, ConformanceCase c) {
        try {
            return handler.run(c);
        } catch (VirtException e) {
            return "error " + e.code() + ": " + e.getMessage();
        } catch (Exception | StackOverflowError e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @SuppressWarnings("unchecked")
    static List<ConformanceCase> cases(Path dir) throws IOException {
        Object json = Json.read(Files.readString(dir.resolve("cases.json"), StandardCharsets.UTF_8));
        List<Object> cases = (List<Object>) ((Map<String, Object>) json).get("cases");
        return cases.stream().map(o -> (Map<String, Object>) o)
            .map(m -> new ConformanceCase(String.valueOf(m.get("name")), String.valueOf(m.getOrDefault("expect", "pass")),
                m, dir))
            .toList();
    }
}
