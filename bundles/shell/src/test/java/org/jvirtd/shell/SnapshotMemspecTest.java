package org.jvirtd.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** virsh's --memspec of snapshot-create-as turned into the snapshot's memory element. */
class SnapshotMemspecTest {
    @Test
    void aFileWithItsLocationBecomesAnExternalMemoryElement() {
        assertEquals("  <memory snapshot='external' file='/var/m.save'/>\n",
            SnapshotCommands.memoryElement("file=/var/m.save,snapshot=external"));
    }

    @Test
    void aBareNameIsTheFileAndNoSpecNoElement() {
        assertEquals("  <memory file='/var/m.save'/>\n", SnapshotCommands.memoryElement("/var/m.save"));
        assertEquals("  <memory snapshot='no'/>\n", SnapshotCommands.memoryElement("snapshot=no"));
        assertEquals("", SnapshotCommands.memoryElement(""));
    }
}
