package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.model.snapshot.SnapshotDef;
import org.jvirtd.model.snapshot.SnapshotDisk;
import org.junit.jupiter.api.Test;

class SnapshotTreeTest {
    private static SnapshotDef snap(String name, String parent, String state, String how) {
        return new SnapshotDef(name, null, state, parent, 1, "no", null,
            List.of(new SnapshotDisk("vda", how, null, null, null)), null, null);
    }

    /** a -> (b -> d, c); e is a second root and external. */
    private static SnapshotTree tree() {
        SnapshotTree t = new SnapshotTree();
        t.put(snap("d", "b", "disk-snapshot", "internal"));
        t.put(snap("a", null, "shutoff", "internal"));
        t.put(snap("b", "a", "running", "internal"));
        t.put(snap("c", "a", "shutoff", "internal"));
        t.put(snap("e", null, "disk-snapshot", "external"));
        return t;
    }

    private static List<String> names(List<SnapshotDef> defs) {
        return defs.stream().map(SnapshotDef::name).toList();
    }

    @Test
    void listsParentsBeforeChildren() {
        assertEquals(List.of("a", "b", "c", "d", "e"), names(tree().list(SnapshotFlags.List.TOPOLOGICAL)));
    }

    @Test
    void filtersByLibvirtsListFlags() {
        SnapshotTree t = tree();
        assertEquals(List.of("a", "e"), names(t.list(SnapshotFlags.List.ROOTS)));
        assertEquals(List.of("c", "d", "e"), names(t.list(SnapshotFlags.List.LEAVES)));
        assertEquals(List.of("a", "b"), names(t.list(SnapshotFlags.List.NO_LEAVES)));
        assertEquals(List.of(), names(t.list(SnapshotFlags.List.NO_METADATA)));
        assertEquals(List.of("b"), names(t.list(SnapshotFlags.List.ACTIVE)));
        assertEquals(List.of("a", "c"), names(t.list(SnapshotFlags.List.INACTIVE)));
        assertEquals(List.of("d", "e"), names(t.list(SnapshotFlags.List.DISK_ONLY)));
        assertEquals(List.of("e"), names(t.list(SnapshotFlags.List.EXTERNAL)));
        assertEquals(List.of("b", "c"), names(t.listChildren("a", 0)));
        assertEquals(List.of("b", "c", "d"), names(t.listChildren("a", SnapshotFlags.List.DESCENDANTS)));
    }

    @Test
    void removingASnapshotMovesItsChildrenToItsParent() {
        SnapshotTree t = tree();
        t.setCurrent("b");
        assertEquals(List.of("d"), names(t.remove("b")));
        assertEquals("a", t.get("d").orElseThrow().parent());
        assertEquals(List.of(), names(t.current().stream().toList()));
    }
}
