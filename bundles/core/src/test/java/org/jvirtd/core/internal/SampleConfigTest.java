package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.jvirtd.platform.conf.ConfFile;

/** The commented jvirtd.conf shipped in the distribution documents exactly the keys jvirtd knows. */
class SampleConfigTest {
    private static final Path SAMPLE = Path.of("../../distribution/src/main/dist/etc/jvirtd.conf");

    @Test
    void everyKnownKeyIsDocumentedAndEveryDocumentedKeyParses() throws IOException {
        String uncommented = Files.readAllLines(SAMPLE).stream()
            .filter(line -> line.matches("#[a-z_]+ = .*"))
            .map(line -> line.substring(1))
            .collect(Collectors.joining("\n"));
        ConfFile conf = ConfFile.parse(SAMPLE.toString(), uncommented);
        assertEquals(new TreeSet<>(DaemonKeys.all()), new TreeSet<>(conf.values().keySet()));
    }

    @Test
    void theSampleAsShippedSetsNothing() {
        Set<String> keys = ConfFile.read(SAMPLE).values().keySet();
        assertEquals(Set.of(), keys);
    }
}
