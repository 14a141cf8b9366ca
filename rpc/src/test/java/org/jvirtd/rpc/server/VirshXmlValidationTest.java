package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * The network, pool and volume parsers and the define/create checks behind them accept and refuse what libvirtd
 * 9.0 does, with its messages: each row of {@code libvirt-xml-validation.tsv} (recorded from the peer libvirtd)
 * is run with the real virsh against jvirtd in its order, and what virsh prints must be what libvirtd made it
 * print. A definition that succeeds is removed again, but for {@code net-dupname-a}, which the duplicate rows after
 * it need.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirshXmlValidationTest {
    private static final String TABLE = "libvirt-xml-validation.tsv";

    private InProcessDaemon daemon;
    private Path poolPath;

    /** One row: the case's name, the virsh command, what libvirtd made virsh print, the document. */
    private record Row(String name, String command, String expected, String xml) {
    }

    @BeforeAll
    void startDaemonWithPool() throws Exception {
        daemon = new InProcessDaemon(ServerSettings.defaults());
        poolPath = daemon.root().resolve("p1");
        virshOk("pool-define-as", "p1", "dir", "--target", poolPath.toString());
        virshOk("pool-build", "p1");
        virshOk("pool-start", "p1");
        virshOk("vol-create-as", "p1", "v.qcow2", "1G", "--format", "qcow2");
    }

    @AfterAll
    void stopDaemon() throws Exception {
        daemon.close();
    }

    @TestFactory
    Stream<DynamicTest> virshPrintsWhatLibvirtdMadeItPrint() throws IOException {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> check(row)));
    }

    private void check(Row row) throws Exception {
        Path file = daemon.root().resolve(row.name() + ".xml");
        Files.writeString(file, row.xml().replace("POOLPATH", poolPath.toString()));
        List<String> args = new ArrayList<>(List.of(row.command()));
        if (row.command().equals("vol-create")) {
            args.add("p1");
        }
        args.add(file.toString());
        Result result = Processes.virsh(daemon.uri(), args.toArray(String[]::new));
        String printed = printed(result);
        if (printed.equals("OK") && !row.name().equals("net-dupname-a")) {
            remove(row, file);
        }
        assertEquals(row.expected(), printed, row.name() + ": " + row.xml() + "\n" + result);
    }

    /** What virsh printed, in the table's form. */
    private static String printed(Result result) {
        if (result.exitCode() == 0) {
            return "OK";
        }
        return result.stderr().lines().filter(line -> !line.isEmpty() && !line.startsWith("error: Failed to"))
            .map(line -> line.startsWith("error: ") ? line.substring("error: ".length()) : line)
            .map(line -> line.replaceAll("uuid [0-9a-f-]{36}", "uuid UUID"))
            .collect(Collectors.joining("\n"));
    }

    private void remove(Row row, Path file) throws Exception {
        switch (row.command()) {
            case "net-define" -> {
                for (String name : listed("net-list", "--all", "--name")) {
                    if (!name.equals("n-dup")) {
                        virshOk("net-undefine", name);
                    }
                }
            }
            case "pool-define" -> {
                for (String name : listed("pool-list", "--all", "--name")) {
                    if (!name.equals("p1")) {
                        virshOk("pool-undefine", name);
                    }
                }
            }
            default -> {
                for (String line : listed("vol-list", "p1")) {
                    String name = line.strip().split("\\s+")[0];
                    if (!name.equals("v.qcow2")) {
                        virshOk("vol-delete", "--pool", "p1", name);
                    }
                }
            }
        }
        Files.delete(file);
    }

    private List<String> listed(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-q"));
        all.addAll(List.of(args));
        return virshOk(all.toArray(String[]::new)).stdout().lines().map(String::strip).filter(l -> !l.isEmpty())
            .toList();
    }

    private Result virshOk(String... args) throws Exception {
        Result result = Processes.virsh(daemon.uri(), args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private static List<Row> rows() throws IOException {
        try (InputStream in = VirshXmlValidationTest.class.getResourceAsStream(TABLE)) {
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                rows.add(new Row(cells[0], cells[1], cells[2].replace("\\n", "\n"), cells[3]));
            }
            return rows;
        }
    }
}
