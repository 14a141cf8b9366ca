package org.jvirtd.storage.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.junit.jupiter.api.Test;

/**
 * The parted command lines of a disk pool and how its machine-readable print is read back.
 */
class PartedArgvTest {
    private static final PoolDef POOL = PoolXml.parse("<pool type='disk'><name>d</name><source>"
        + "<device path='/dev/loop3'/><format type='gpt'/></source><target><path>/dev</path></target></pool>");
    private static final String PRINT = "BYT;\n/dev/loop3:67108864B:loopback:512:512:gpt:Loopback device:;\n"
        + "1:1048576B:9437183B:8388608B::primary:;\n";

    @Test
    void commandLinesNameTheDeviceAndWorkInBytes() {
        assertEquals(List.of("parted", "/dev/loop3", "mklabel", "--script", "gpt"), PartedArgv.mklabel(POOL));
        assertEquals(List.of("parted", "-s", "-m", "/dev/loop3", "unit", "B", "print"), PartedArgv.print(POOL));
        assertEquals(List.of("parted", "/dev/loop3", "mkpart", "--script", "primary", "9437184B", "17825791B"),
            PartedArgv.mkpart(POOL, 9437184, 8 << 20));
        assertEquals(List.of("parted", "/dev/loop3", "rm", "--script", "2"), PartedArgv.rm(POOL, 2));
    }

    @Test
    void printGivesPartitionsAsBlockVolumesNamedLikeTheirDevices() {
        var contents = PartedReport.contents(POOL, PRINT);
        assertEquals(67108864L, contents.capacity());
        assertEquals(8388608L, contents.allocation());
        assertEquals("loop3p1", contents.volumes().get(0).name());
        assertEquals("/dev/loop3p1", contents.volumes().get(0).path());
        assertEquals(9437184L, PartedReport.nextStart(PartedReport.partitions(PRINT)));
    }
}
