package org.jvirtd.rpc.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.rpc.dispatch.RemoteProcedure;

/**
 * What one procedure needs, read from {@code procedure-acl.tsv}: where its object comes from, the permissions
 * it checks, and how its answer is filtered when it lists objects.
 *
 * @param kind   the kind of object its non-connect permissions are on, null when it checks connect ones only
 * @param filter the permission each listed object needs, null when the procedure lists nothing
 * @param shape  how the listed objects sit in the reply, null without a filter
 * @param helper the procedure a filter resolves names or ids through, or counts with
 */
public record ProcedureAcl(RemoteProcedure procedure, ObjectSource source, ObjectKind kind, List<AclCheck> checks,
                           Permission filter, ListShape shape, RemoteProcedure helper) {
    /** Where the object a procedure's permissions are checked on comes from. */
    public enum ObjectSource {
        /** No object: connect permissions only. */
        CONNECT("-"),
        /** The first argument is its reference. */
        ARG("arg"),
        /** The first argument is a snapshot or checkpoint, whose domain is the object. */
        SNAPSHOT_ARG("snapshot-arg"),
        /** The first argument is the new object's XML definition. */
        XML("xml"),
        /** The first argument is the parent (pool, network), the second the new child's XML. */
        ARG_XML("arg+xml"),
        /** The object the call answers with (lookups): checked once the handler found it. */
        REPLY("reply"),
        /** Not known before the call runs (a saved image, a migration): checked without object attributes. */
        UNKNOWN("none");

        private final String column;

        ObjectSource(String column) {
            this.column = column;
        }

        static ObjectSource of(String column) {
            for (ObjectSource source : values()) {
                if (source.column.equals(column)) {
                    return source;
                }
            }
            throw new IllegalArgumentException("no object source " + column);
        }
    }

    /** How a list call's reply holds the objects to filter. */
    public enum ListShape {
        /** An array of references, then the count (virConnectListAll*). */
        REFS,
        /** An array of names (or secret UUIDs), each resolved through the helper lookup. */
        NAMES,
        /** An array of domain ids, resolved through DOMAIN_LOOKUP_BY_ID. */
        IDS,
        /** A count: of the helper list's filtered answer. */
        COUNT,
        /** Domain stats records, each starting with its domain. */
        STATS,
        /** An event registration: the events delivered are filtered. */
        EVENTS
    }

    private static final Map<RemoteProcedure, ProcedureAcl> TABLE = load();

    /** The procedure's access rule, null when it needs no permission. */
    public static ProcedureAcl of(RemoteProcedure procedure) {
        return TABLE.get(procedure);
    }

    /** Every rule, for the test that holds the table against the protocol facts. */
    public static Map<RemoteProcedure, ProcedureAcl> all() {
        return TABLE;
    }

    private static Map<RemoteProcedure, ProcedureAcl> load() {
        Map<RemoteProcedure, ProcedureAcl> table = new EnumMap<>(RemoteProcedure.class);
        try (InputStream stream = ProcedureAcl.class.getResourceAsStream("procedure-acl.tsv")) {
            if (stream == null) {
                throw new IllegalStateException("procedure-acl.tsv is missing from the bundle");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ProcedureAcl rule = parse(line);
                    table.put(rule.procedure(), rule);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    static ProcedureAcl parse(String line) {
        String[] columns = line.split("\t");
        if (columns.length != 4) {
            throw new IllegalArgumentException("procedure-acl.tsv: not 4 columns: " + line);
        }
        RemoteProcedure procedure = RemoteProcedure.valueOf(columns[0]);
        List<AclCheck> checks = new ArrayList<>();
        ObjectKind kind = null;
        for (String check : columns[2].split(",")) {
            AclCheck parsed = AclCheck.parse(check);
            checks.add(parsed);
            if (!parsed.permission().onConnect()) {
                kind = ObjectKind.of(parsed.permission().object());
            }
        }
        Permission filter = null;
        ListShape shape = null;
        RemoteProcedure helper = null;
        if (!columns[3].equals("-")) {
            String[] parts = columns[3].split(" ");
            filter = Permission.parse(parts[0]);
            String[] how = parts[1].split(":");
            shape = ListShape.valueOf(how[0].toUpperCase(java.util.Locale.ROOT));
            helper = how.length > 1 ? RemoteProcedure.valueOf(how[1]) : null;
        }
        return new ProcedureAcl(procedure, ObjectSource.of(columns[1]), kind, List.copyOf(checks), filter, shape,
            helper);
    }

    /** The kind of object the filter's permission is on. */
    public ObjectKind filterKind() {
        return filter == null ? null : ObjectKind.of(filter.object());
    }
}
