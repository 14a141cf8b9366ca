package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection.CpuMap;

/**
 * The node statistics from a host tree laid out as Linux lays out /proc and /sys (two NUMA nodes, node 1
 * with 2 MiB huge pages), and the errors libvirt 9.0 gives for what the host lacks, in its words.
 */
class HostStatisticsTest {
    @TempDir
    Path root;
    private HostStatistics host;

    @BeforeEach
    void host() throws IOException {
        write("proc/stat", "cpu  100 20 30 400 5 6 7 0 0 0\ncpu0 50 10 15 200 2 3 4 0 0 0\n"
            + "cpu1 50 10 15 200 3 3 3 0 0 0\nintr 12345\n");
        write("proc/meminfo", "MemTotal:       24683664 kB\nMemFree:        21234596 kB\nMemAvailable:   1 kB\n"
            + "Buffers:           44672 kB\nCached:          1567508 kB\nSwapCached:            7 kB\n");
        write("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal:        8000000 kB\n"
            + "Node 0 MemFree:         3000000 kB\nNode 0 MemUsed:         5000000 kB\n");
        write("sys/devices/system/node/node1/meminfo", "Node 1 MemTotal:        9000000 kB\n"
            + "Node 1 MemFree:         4000000 kB\n");
        write("sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages", "12\n");
        write("sys/devices/system/cpu/present", "0-3\n");
        write("sys/devices/system/cpu/online", "0,2-3\n");
        for (String[] ksm : new String[][] {{"pages_to_scan", "100"}, {"sleep_millisecs", "20"},
            {"pages_shared", "1"}, {"pages_sharing", "2"}, {"pages_unshared", "3"}, {"pages_volatile", "4"},
            {"full_scans", "5"}, {"merge_across_nodes", "1"}}) {
            write("sys/kernel/mm/ksm/" + ksm[0], ksm[1] + "\n");
        }
        host = new HostStatistics(root);
    }

    @Test
    void cpuTimesAreTicksInNanosecondsWithKernelCountingInterrupts() {
        assertEquals(List.of(TypedParameter.ofUllong("kernel", 43 * 10_000_000L),
            TypedParameter.ofUllong("user", 120 * 10_000_000L), TypedParameter.ofUllong("idle", 400 * 10_000_000L),
            TypedParameter.ofUllong("iowait", 5 * 10_000_000L)), host.cpuStats(-1, 4, 0));
        assertEquals(60 * 10_000_000L, host.cpuStats(1, 4, 0).get(1).value());
        assertEquals(4, host.cpuStats(7, 0, 0).size(), "how many, asked for a CPU that is not there");
        assertMessage(ErrorCode.INVALID_ARG, "Invalid cpuNum in virHostCPUGetStatsLinux",
            () -> host.cpuStats(7, 4, 0));
        assertMessage(ErrorCode.INVALID_ARG, "nparams in virHostCPUGetStatsLinux must be equal to 4",
            () -> host.cpuStats(-1, 3, 0));
        assertMessage(ErrorCode.INVALID_ARG, "unsupported flags (0x1) in function virHostCPUGetStats",
            () -> host.cpuStats(-1, 4, 1));
    }

    @Test
    void memoryOfTheHostAndOfACell() {
        assertEquals(List.of(TypedParameter.ofUllong("total", 24683664), TypedParameter.ofUllong("free", 21234596),
            TypedParameter.ofUllong("buffers", 44672), TypedParameter.ofUllong("cached", 1567508)),
            host.memoryStats(-1, 4, 0));
        assertEquals(List.of(TypedParameter.ofUllong("total", 9000000), TypedParameter.ofUllong("free", 4000000)),
            host.memoryStats(1, 2, 0));
        assertEquals(2, host.memoryStats(0, 0, 0).size());
        assertMessage(ErrorCode.INVALID_ARG, "nparams in virHostMemGetStatsLinux must be 2",
            () -> host.memoryStats(0, 4, 0));
        assertMessage(ErrorCode.INVALID_ARG, "cellNum in virHostMemGetStats must be less than or equal to 1",
            () -> host.memoryStats(2, 0, 0));
    }

    @Test
    void freeMemoryIsTheSumOfTheCellsInBytes() {
        assertEquals(7_000_000L * 1024, host.freeMemory());
        assertEquals(List.of(3_000_000L * 1024, 4_000_000L * 1024), host.cellsFreeMemory(0, 8));
        assertEquals(List.of(4_000_000L * 1024), host.cellsFreeMemory(1, 1));
        assertMessage(ErrorCode.INTERNAL_ERROR, "internal error: start cell 2 out of range (0-1)",
            () -> host.cellsFreeMemory(2, 1));
    }

    @Test
    void cpuMapCountsPresentCpusAndMarksOnlineOnes() {
        CpuMap map = host.cpuMap(0);
        assertEquals(4, map.cpus());
        assertTrue(map.online().get(0) && map.online().get(2) && map.online().get(3));
        assertFalse(map.online().get(1));
        assertMessage(ErrorCode.INVALID_ARG, "unsupported flags (0x2) in function virHostCPUGetMap",
            () -> host.cpuMap(2));
    }

    @Test
    void freePagesOfEachSizeCellByCell() {
        assertEquals(List.of(750_000L, 1_000_000L, 12L), List.of(host.freePages(List.of(4), 0, 1).get(0),
            host.freePages(List.of(4, 2048), 1, 5).get(0), host.freePages(List.of(4, 2048), 1, 5).get(1)));
        assertEquals(4, host.freePages(List.of(4, 4), 0, 2).size());
        assertMessage(ErrorCode.OPERATION_FAILED, "operation failed: page size 2048 is not available on node 0",
            () -> host.freePages(List.of(2048), 0, 1));
    }

    @Test
    void ksmParametersWithTheirTypes() {
        List<TypedParameter> all = host.memoryParameters(20, 0);
        assertEquals(8, all.size());
        assertEquals(TypedParameter.ofUint("shm_pages_to_scan", 100), all.get(0));
        assertEquals(TypedParameter.ofUllong("shm_full_scans", 5), all.get(6));
        assertEquals(TypedParameter.ofUint("shm_merge_across_nodes", 1), all.get(7));
        assertEquals(3, host.memoryParameters(3, 0).size());
        assertEquals(8, host.memoryParameters(0, 4).size());
        assertMessage(ErrorCode.INVALID_ARG, "unsupported flags (0x1) in function virHostMemGetParameters",
            () -> host.memoryParameters(0, 1));
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void assertMessage(ErrorCode code, String message, Runnable call) {
        VirtException e = assertThrows(VirtException.class, call::run);
        assertEquals(code, e.code());
        assertEquals(ErrorDomain.NONE, e.domain());
        assertEquals(message, e.getMessage());
    }
}
