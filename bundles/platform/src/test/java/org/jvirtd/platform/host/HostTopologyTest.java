package org.jvirtd.platform.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capabilities' host topology from a sysfs tree laid out as Linux lays it out, and from this host. */
class HostTopologyTest {
    @TempDir
    Path root;

    @Test
    void oneCellWithTwoCoresAndHugePagesAsLibvirtWritesIt() throws IOException {
        write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n");
        write("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n");
        write("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal:        7825224 kB\nNode 0 MemFree: 1 kB\n");
        write("sys/devices/system/node/node0/distance", "10\n");
        write("sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "3\n");
        write("sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages", "0\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            Files.createDirectories(root.resolve("sys/devices/system/node/node0/cpu" + cpu));
            String t = "sys/devices/system/cpu/cpu" + cpu + "/topology/";
            write(t + "physical_package_id", "0\n");
            write(t + "die_id", "0\n");
            write(t + "core_id", cpu + "\n");
            write(t + "thread_siblings_list", cpu + "\n");
        }
        HostTopology topology = HostTopology.read(root);
        assertEquals("      <pages unit='KiB' size='4'/>\n      <pages unit='KiB' size='2048'/>\n"
            + "      <pages unit='KiB' size='1048576'/>\n", topology.cpuPagesXml());
        assertEquals("""
                <topology>
                  <cells num='1'>
                    <cell id='0'>
                      <memory unit='KiB'>7825224</memory>
                      <pages unit='KiB' size='4'>1956306</pages>
                      <pages unit='KiB' size='2048'>3</pages>
                      <pages unit='KiB' size='1048576'>0</pages>
                      <distances>
                        <sibling id='0' value='10'/>
                      </distances>
                      <cpus num='2'>
                        <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
                        <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1'/>
                      </cpus>
                    </cell>
                  </cells>
                </topology>
            """, topology.topologyXml());
    }

    @Test
    void thisHostHasCellsWithItsCpus() {
        HostTopology topology = HostTopology.read();
        assertFalse(topology.cells().isEmpty(), "this Linux lists NUMA node0");
        int cpus = topology.cells().stream().mapToInt(c -> c.cpus().size()).sum();
        assertEquals(Runtime.getRuntime().availableProcessors() <= cpus, true, cpus + " CPUs in the cells");
        assertTrue(topology.cells().get(0).memoryKiB() > 0);
        assertEquals(4, topology.pageSizesKiB().get(0));
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
