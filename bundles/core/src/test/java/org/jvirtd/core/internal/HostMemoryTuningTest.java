package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;

/**
 * KSM settings and huge page pools written into a host tree laid out as Linux lays out /sys (two NUMA
 * nodes with 2 MiB pools), and libvirt 9.0's refusals (recorded from libvirtd) in its words.
 */
class HostMemoryTuningTest {
    @TempDir
    Path root;
    private HostMemoryTuning host;

    @BeforeEach
    void host() throws IOException {
        write("sys/kernel/mm/ksm/pages_to_scan", "100\n");
        write("sys/kernel/mm/ksm/sleep_millisecs", "20\n");
        write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n");
        write("sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "3\n");
        write("sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages", "5\n");
        host = new HostMemoryTuning(root);
    }

    @Test
    void ksmParametersAreWrittenToTheirFiles() throws IOException {
        host.setKsmParameters(List.of(TypedParameter.ofUint("shm_pages_to_scan", 250),
            TypedParameter.ofUint("shm_sleep_millisecs", 40)), 0);
        assertEquals("250", read("sys/kernel/mm/ksm/pages_to_scan"));
        assertEquals("40", read("sys/kernel/mm/ksm/sleep_millisecs"));
    }

    @Test
    void aKsmParameterTheKernelLacksChangesNothing() throws IOException {
        VirtException e = assertThrows(VirtException.class, () -> host.setKsmParameters(List.of(
            TypedParameter.ofUint("shm_pages_to_scan", 7), TypedParameter.ofUint("shm_merge_across_nodes", 0)), 0));
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        assertEquals("Parameter 'shm_merge_across_nodes' is not supported by this kernel", e.detail());
        assertEquals("100", read("sys/kernel/mm/ksm/pages_to_scan"));
    }

    @Test
    void unknownOrMistypedKsmParametersAndFlagsAreRefused() {
        assertEquals(ErrorCode.ARGUMENT_UNSUPPORTED, assertThrows(VirtException.class,
            () -> host.setKsmParameters(List.of(TypedParameter.ofUint("shm_full_scans", 1)), 0)).code());
        assertEquals(ErrorCode.INVALID_ARG, assertThrows(VirtException.class,
            () -> host.setKsmParameters(List.of(TypedParameter.ofUllong("shm_pages_to_scan", 1)), 0)).code());
        assertEquals("unsupported flags (0x1) in function virHostMemGetParameters", assertThrows(VirtException.class,
            () -> host.setKsmParameters(List.of(), 1)).detail());
    }

    @Test
    void pagesAreSetOrAddedPerCellAndEachPoolIsCounted() throws IOException {
        assertEquals(2, host.allocPages(List.of(2048), List.of(4L), 0, 5, false));
        assertEquals("4", read("sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"));
        assertEquals("4", read("sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"));
        assertEquals(1, host.allocPages(List.of(2048), List.of(2L), 1, 1, true));
        assertEquals("6", read("sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"));
        assertEquals(1, host.allocPages(List.of(2048), List.of(8L), -1, 1, false));
        assertEquals("8", read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"));
    }

    @Test
    void poolsThatCannotBeChangedAreRefusedInLibvirtsWords() {
        assertEquals("system pages pool can't be modified", assertThrows(VirtException.class,
            () -> host.allocPages(List.of(4), List.of(1L), -1, 1, true)).detail());
        assertEquals("page size 3072 is not available", assertThrows(VirtException.class,
            () -> host.allocPages(List.of(3072), List.of(1L), -1, 1, true)).detail());
        assertEquals("page size 3072 is not available on node 0", assertThrows(VirtException.class,
            () -> host.allocPages(List.of(3072), List.of(1L), 0, 1, true)).detail());
        assertEquals("start cell 5 out of range (0-1)", assertThrows(VirtException.class,
            () -> host.allocPages(List.of(2048), List.of(1L), 5, 1, true)).detail());
    }

    private String read(String file) throws IOException {
        return Files.readString(root.resolve(file)).trim();
    }

    private void write(String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
