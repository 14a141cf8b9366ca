package org.jvirtd.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jvirtd.model.storage.PoolXml;
import org.junit.jupiter.api.Test;

/**
 * The fs build command lines: mkfs with the pool's format on its device.
 */
class MkfsArgvTest {
    private static String pool(String format) {
        return "<pool type='fs'><name>p</name><source><device path='/dev/sdb1'/><format type='" + format
            + "'/></source><target><path>/mnt</path></target></pool>";
    }

    @Test
    void extFormatsAreForcedOthersAreNot() {
        assertEquals(List.of("mkfs", "-t", "ext4", "-F", "/dev/sdb1"), MkfsArgv.mkfs(PoolXml.parse(pool("ext4"))));
        assertEquals(List.of("mkfs", "-t", "xfs", "/dev/sdb1"), MkfsArgv.mkfs(PoolXml.parse(pool("xfs"))));
        assertEquals(List.of("blkid", "-o", "value", "-s", "TYPE", "/dev/sdb1"),
            MkfsArgv.probe(PoolXml.parse(pool("xfs"))));
    }
}
