package org.jvirtd.model.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

class SnapshotXmlTest {
    private static final String DOMAIN = "<domain type='qemu'>\n  <name>g1</name>\n</domain>\n";

    @Test
    void formatsTheCanonicalFormLibvirtPrints() {
        SnapshotDef def = new SnapshotDef("s-ext", null, "disk-snapshot", "s-run", 1796301527L, "no", null,
            List.of(new SnapshotDisk("vda", "external", "file", "/tmp/h1p/disk.s-ext", "qcow2")), DOMAIN, null);
        assertEquals("""
            <domainsnapshot>
              <name>s-ext</name>
              <state>disk-snapshot</state>
              <parent>
                <name>s-run</name>
              </parent>
              <creationTime>1796301527</creationTime>
              <memory snapshot='no'/>
              <disks>
                <disk name='vda' snapshot='external' type='file'>
                  <driver type='qcow2'/>
                  <source file='/tmp/h1p/disk.s-ext'/>
                </disk>
              </disks>
              <domain type='qemu'>
                <name>g1</name>
              </domain>
            </domainsnapshot>
            """, SnapshotXml.format(def));
    }

    @Test
    void storedFormKeepsTheCurrentMarkAndTheInactiveDomainThroughAParse() {
        SnapshotDef def = new SnapshotDef("s-run", "a <b>", "running", null, 5, "internal", null,
            List.of(new SnapshotDisk("vda", "internal", null, null, null)), DOMAIN, DOMAIN);
        String stored = SnapshotXml.formatStored(def, true);
        assertTrue(stored.contains("  <inactiveDomain type='qemu'>\n    <name>g1</name>\n  </inactiveDomain>\n"), stored);
        assertTrue(stored.endsWith("  <active>1</active>\n</domainsnapshot>\n"), stored);
        SnapshotXml.Parsed parsed = SnapshotXml.parse(stored);
        assertTrue(parsed.current());
        assertEquals(def, parsed.def());
        assertEquals(SnapshotXml.format(def), SnapshotXml.format(parsed.def()));
    }

    @Test
    void aNewSnapshotWithoutANameIsNamedByItsCreationTime() {
        assertEquals("1796301509", SnapshotXml.parseNew("<domainsnapshot/>", 1796301509L).name());
    }

    @Test
    void aDiskWithAFileIsExternal() {
        SnapshotDef def = SnapshotXml.parse("<domainsnapshot><disks><disk name='vda'><source file='/x'/></disk>"
            + "</disks></domainsnapshot>").def();
        assertTrue(def.isExternal());
    }

    @Test
    void badInputGetsLibvirtsErrors() {
        assertEquals("XML error: expecting root element of 'domainsnapshot', not 'domain'",
            assertThrows(VirtException.class, () -> SnapshotXml.parse(DOMAIN)).getMessage());
        assertEquals("XML error: missing name from disk snapshot element", assertThrows(VirtException.class,
            () -> SnapshotXml.parse("<domainsnapshot><disks><disk/></disks></domainsnapshot>")).getMessage());
        assertEquals("unsupported configuration: unknown memory snapshot setting 'sometimes'",
            assertThrows(VirtException.class, () -> SnapshotXml.parse(
                "<domainsnapshot><memory snapshot='sometimes'/></domainsnapshot>")).getMessage());
    }
}
