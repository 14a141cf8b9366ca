package org.jvirtd.model.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

class StorageXmlTest {
    private static final PoolDef DIR_POOL = PoolXml.parse("<pool type='dir'><name>p</name>"
        + "<target><path>/var/lib/images//</path></target></pool>");

    @Test
    void targetPathIsCleaned() {
        assertEquals("/var/lib/images", DIR_POOL.targetPath());
    }

    @Test
    void unknownPoolTypeIsAnXmlError() {
        VirtException e = assertThrows(VirtException.class,
            () -> PoolXml.parse("<pool type='floppy'><name>p</name></pool>"));
        assertEquals(ErrorCode.XML_ERROR, e.code());
    }

    @Test
    void volumeCapacityUnitsBecomeBytes() {
        VolumeDef vol = VolumeXml.parse(DIR_POOL, "<volume><name>v</name><capacity unit='G'>5</capacity></volume>");
        assertEquals(5368709120L, vol.capacity());
        assertEquals(5368709120L, vol.allocation());
        assertEquals("file", vol.type());
    }

    @Test
    void volumeWithoutCapacityNeedsTheNoCapacityFlag() {
        String xml = "<volume><name>v</name></volume>";
        assertThrows(VirtException.class, () -> VolumeXml.parse(DIR_POOL, xml));
        assertEquals(0, VolumeXml.parse(DIR_POOL, xml, VolumeXml.NO_CAPACITY).capacity());
    }

    @Test
    void capacityOverflowIsANumericalOverflow() {
        VirtException e = assertThrows(VirtException.class, () -> VolumeXml.parse(DIR_POOL,
            "<volume><name>v</name><capacity unit='EiB'>100</capacity></volume>"));
        assertEquals(ErrorCode.OVERFLOW, e.code());
    }
}
