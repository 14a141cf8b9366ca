package org.jvirtd.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.model.snapshot.SnapshotDef;

/**
 * One domain's snapshots as libvirt's moment list keeps them: each snapshot names its parent, one of them may be
 * the current one, and lists are filtered by libvirt's list flags and given parents before children.
 */
final class SnapshotTree {
    private final Map<String, SnapshotDef> byName = new LinkedHashMap<>();
    private String current;

    boolean isEmpty() {
        return byName.isEmpty();
    }

    int size() {
        return byName.size();
    }

    Optional<SnapshotDef> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<SnapshotDef> current() {
        return current == null ? Optional.empty() : get(current);
    }

    void setCurrent(String name) {
        current = name;
    }

    /** Adds or replaces a snapshot (in place, so its position in creation order stays). */
    void put(SnapshotDef def) {
        byName.put(def.name(), def);
    }

    /** Removes one snapshot; its children move to its parent, as libvirt reparents them. */
    List<SnapshotDef> remove(String name) {
        SnapshotDef gone = byName.remove(name);
        List<SnapshotDef> moved = new ArrayList<>();
        if (gone == null) {
            return moved;
        }
        for (SnapshotDef child : List.copyOf(byName.values())) {
            if (name.equals(child.parent())) {
                SnapshotDef reparented = child.withParent(gone.parent());
                byName.put(child.name(), reparented);
                moved.add(reparented);
            }
        }
        if (name.equals(current)) {
            current = null;
        }
        return moved;
    }

    List<SnapshotDef> children(String name) {
        return byName.values().stream().filter(d -> name.equals(d.parent())).toList();
    }

    /** Every descendant of a snapshot, parents before their children. */
    List<SnapshotDef> descendants(String name) {
        List<SnapshotDef> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            for (SnapshotDef child : children(todo.removeFirst())) {
                out.add(child);
                todo.addLast(child.name());
            }
        }
        return out;
    }

    /** Every snapshot, parents before children (virDomainListAllSnapshots' TOPOLOGICAL order). */
    List<SnapshotDef> all() {
        List<SnapshotDef> out = new ArrayList<>();
        for (SnapshotDef root : byName.values()) {
            if (root.parent() == null || !byName.containsKey(root.parent())) {
                out.add(root);
                out.addAll(descendants(root.name()));
            }
        }
        return out;
    }

    /** virDomainListAllSnapshots: the snapshots the list flags select. */
    List<SnapshotDef> list(int flags) {
        List<SnapshotDef> from = all();
        if ((flags & SnapshotFlags.List.ROOTS) != 0) {
            from = from.stream().filter(d -> d.parent() == null || !byName.containsKey(d.parent())).toList();
        }
        return filter(from, flags);
    }

    /** virDomainSnapshotListAllChildren: children, or with DESCENDANTS all descendants, the flags select. */
    List<SnapshotDef> listChildren(String name, int flags) {
        List<SnapshotDef> from = (flags & SnapshotFlags.List.DESCENDANTS) != 0 ? descendants(name) : children(name);
        return filter(from, flags);
    }

    private List<SnapshotDef> filter(List<SnapshotDef> from, int flags) {
        return from.stream().filter(d -> matches(d, flags)).toList();
    }

    private boolean matches(SnapshotDef d, int flags) {
        boolean leaf = children(d.name()).isEmpty();
        if (!group(flags, SnapshotFlags.List.LEAVES, leaf, SnapshotFlags.List.NO_LEAVES, !leaf)) {
            return false;
        }
        if (!group(flags, SnapshotFlags.List.METADATA, true, SnapshotFlags.List.NO_METADATA, false)) {
            return false;
        }
        int states = SnapshotFlags.List.INACTIVE | SnapshotFlags.List.ACTIVE | SnapshotFlags.List.DISK_ONLY;
        if ((flags & states) != 0) {
            boolean inactive = "shutoff".equals(d.state());
            boolean diskOnly = d.isDiskOnly();
            boolean active = !inactive && !diskOnly;
            if (!((flags & SnapshotFlags.List.INACTIVE) != 0 && inactive
                || (flags & SnapshotFlags.List.ACTIVE) != 0 && active
                || (flags & SnapshotFlags.List.DISK_ONLY) != 0 && diskOnly)) {
                return false;
            }
        }
        int locations = SnapshotFlags.List.INTERNAL | SnapshotFlags.List.EXTERNAL;
        if ((flags & locations) != 0) {
            boolean external = d.isExternal();
            return (flags & SnapshotFlags.List.INTERNAL) != 0 && !external
                || (flags & SnapshotFlags.List.EXTERNAL) != 0 && external;
        }
        return true;
    }

    /** A yes/no filter pair: neither or both set selects everything. */
    private static boolean group(int flags, int yesFlag, boolean yes, int noFlag, boolean no) {
        boolean wantYes = (flags & yesFlag) != 0;
        boolean wantNo = (flags & noFlag) != 0;
        if (wantYes == wantNo) {
            return true;
        }
        return wantYes ? yes : no;
    }
}
