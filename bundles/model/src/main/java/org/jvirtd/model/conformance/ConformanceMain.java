package org.jvirtd.model.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code jvirtd-conformance SUITE DIR}: runs one conformance suite folder and prints a line per case and the totals.
 */
public final class ConformanceMain {
    private ConformanceMain() {
    }

    public static void main(String[] args) throws Exception {
        ConformanceRunner runner = Suites.runner();
        if (args.length != 2 || !runner.knows(args[0])) {
            System.err.println("usage: jvirtd-conformance SUITE DIR");
            System.err.println("suites: " + String.join(" ", Suites.names()));
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (!Files.isRegularFile(dir.resolve("cases.json"))) {
            System.err.println("jvirtd-conformance: no cases.json in " + dir);
            System.exit(2);
        }
        ConformanceRunner.Result result = runner.run(args[0], dir, System.out::println);
        System.out.println(result);
        System.exit(result.failed() == 0 ? 0 : 1);
    }
}
