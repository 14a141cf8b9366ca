package org.jvirtd.model.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The counts of one run. */
    public record Result(int passed, int failed) {
        public int total() {
            return passed + failed;
        }

        @Override
        public String toString() {
            return passed + " passed, " + failed + " failed";
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
        int failed = 0;
        for (ConformanceCase c : cases(dir)) {
            String reason = outcome(handler, c);
            if (reason == null) {
                passed++;
                out.accept("PASS " + c.name());
            } else {
                failed++;
                out.accept("FAIL " + c.name() + ": " + reason.replace('\n', ' '));
            }
        }
        return new Result(passed, failed);
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
