package org.jvirtd.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.junit.jupiter.api.Test;

class SnapshotTreeTextTest {
    private static final DomainRef DOM = new DomainRef("g1", UUID.randomUUID(), -1);

    private static SnapshotCommands.Facts child(String parent) {
        return new SnapshotCommands.Facts("", "shutoff", parent, 0);
    }

    @Test
    void printsTheTreeAsVirshDoes() {
        List<SnapshotRef> list = List.of(new SnapshotRef(DOM, "s-off"), new SnapshotRef(DOM, "s-run"),
            new SnapshotRef(DOM, "s-ext"), new SnapshotRef(DOM, "s-two"));
        Map<String, SnapshotCommands.Facts> facts = Map.of("s-off", child(null), "s-run", child("s-off"),
            "s-ext", child("s-run"), "s-two", child("s-off"));
        // libvirtd 9.0's virsh snapshot-list --tree for the same tree, without its final empty line
        assertEquals("""
            s-off
              |
              +- s-run
              |   |
              |   +- s-ext
              |    \s
              +- s-two
               \s
            """, SnapshotCommands.tree(list, facts));
    }
}
