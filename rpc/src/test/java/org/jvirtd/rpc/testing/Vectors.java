package org.jvirtd.rpc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads ../shared/protocol/vectors/NN-name.hex: one packet per line, direction then hex. */
public final class Vectors {
    public record Line(boolean fromClient, byte[] bytes) {
    }

    private Vectors() {
    }

    public static List<Line> read(String file) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String line : Files.readAllLines(SharedFacts.protocolDir().resolve("vectors").resolve(file))) {
            if (line.startsWith("C>S ") || line.startsWith("S>C ")) {
                lines.add(new Line(line.startsWith("C>S"), HexFormat.of().parseHex(line.substring(4).trim())));
            }
        }
        return lines;
    }
}
