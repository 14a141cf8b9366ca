package org.jvirtd.rpc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.SharedFacts;

/** Holds the procedure table against remote-procedures.tsv, generated from libvirt 9.0.0's sources. */
class ProcedureTableTest {
    record Row(int number, String name, String kind, String priority, String stream, String readOnly, String api) {
    }

    private static List<Row> remoteRows() throws Exception {
        List<String> lines = Files.readAllLines(SharedFacts.protocolDir().resolve("remote-procedures.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            if (!f[header.indexOf("program")].equals("REMOTE")) {
                continue;
            }
            rows.add(new Row(Integer.parseInt(f[header.indexOf("proc")]),
                f[header.indexOf("const")].replace("REMOTE_PROC_", ""), f[header.indexOf("kind")],
                f[header.indexOf("priority")], f[header.indexOf("stream")], f[header.indexOf("ro")],
                f[header.indexOf("api")]));
        }
        return rows;
    }

    @Test
    void everyRemoteProcedureOfTheFactsHasItsRow() throws Exception {
        List<Row> rows = remoteRows();
        assertEquals(443, rows.size());
        assertEquals(rows.size(), RemoteProcedure.values().length);
        for (Row row : rows) {
            RemoteProcedure procedure = RemoteProcedure.byNumber(row.number());
            assertNotNull(procedure, "no row for " + row);
            assertEquals(row.name(), procedure.name());
            assertEquals(row.kind().equals("call") ? ProcedureKind.CALL : ProcedureKind.EVENT, procedure.kind(),
                row.name());
            assertEquals(row.priority().toUpperCase(), procedure.priority().name(), row.name());
            assertEquals(row.api().equals("-") ? null : row.api(), procedure.api(), row.name());
            ReadOnlyRule expected = switch (row.readOnly()) {
                case "ok" -> ReadOnlyRule.OK;
                case "reject" -> ReadOnlyRule.REJECT;
                case "conditional" -> ReadOnlyRule.CONDITIONAL;
                default -> ReadOnlyRule.UNCHECKED;
            };
            assertEquals(expected, procedure.readOnly(), row.name());
            StreamDirection stream = row.stream().equals("-") ? StreamDirection.NONE
                : row.stream().startsWith("write") ? StreamDirection.CLIENT_TO_SERVER
                : StreamDirection.SERVER_TO_CLIENT;
            assertEquals(stream, procedure.stream(), row.name());
        }
    }

    @Test
    void boundProceduresAreCallsOfTheTableAndEveryVirshProcedureIsBound() throws Exception {
        ProcedureTable table = RemoteProgram.table(null);
        Set<Integer> bound = new HashSet<>();
        for (RemoteProcedure procedure : RemoteProcedure.values()) {
            if (table.binding(procedure) != null) {
                bound.add(procedure.number());
            }
        }
        // procedures protocol.md §4 shows virsh sending for domain and connection commands
        int[] virshProcedures = {66, 60, 1, 360, 361, 2, 3, 4, 59, 6, 7, 273, 11, 212, 23, 19, 16, 151, 15, 183, 122,
            14, 9, 24, 34, 28, 33, 55, 54, 182, 29, 12, 150, 231, 316, 317, 283, 41, 39, 46, 43, 341, 42, 49};
        for (int number : virshProcedures) {
            assertEquals(true, bound.contains(number), RemoteProcedure.byNumber(number) + " is not bound");
        }
    }
}
