package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.connect.Connection.NodeInfo;

class HostInfoTest {
    private static final List<String> ONE_CPU = List.of("processor\t: 0");

    @TempDir
    Path dir;

    @Test
    void countsCpusSocketsCoresAndThreadsFromProc() {
        List<String> cpu = List.of(
            "processor\t: 0", "cpu MHz\t\t: 2199.998", "physical id\t: 0", "siblings\t: 4", "cpu cores\t: 2", "",
            "processor\t: 1", "cpu MHz\t\t: 2199.998", "physical id\t: 0", "siblings\t: 4", "cpu cores\t: 2", "",
            "processor\t: 2", "physical id\t: 0", "siblings\t: 4", "cpu cores\t: 2", "",
            "processor\t: 3", "physical id\t: 0", "siblings\t: 4", "cpu cores\t: 2");
        NodeInfo info = HostInfo.parse(cpu, List.of("MemTotal:       24576000 kB", "MemFree: 1 kB"), "amd64");
        assertEquals(new NodeInfo("x86_64", 24576000, 4, 2199, 1, 1, 2, 2), info);
    }

    @Test
    void memoryIsTheSumOfTheNumaNodesMemTotalNotProcMeminfo() throws IOException {
        Path nodes = Files.createDirectories(dir.resolve("node"));
        for (int i = 0; i < 2; i++) {
            Files.createDirectories(nodes.resolve("node" + i));
            Files.writeString(nodes.resolve("node" + i + "/meminfo"), "Node " + i + " MemTotal:        "
                + (1000 + i) + " kB\nNode " + i + " MemFree:          7 kB\n");
        }
        Files.writeString(Files.createDirectories(nodes.resolve("power")).resolve("meminfo"), "MemTotal: 99 kB\n");
        Path proc = Files.writeString(dir.resolve("meminfo"), "MemTotal:       24683664 kB\nMemFree: 1 kB\n");

        NodeInfo info = HostInfo.parse(ONE_CPU, HostInfo.memoryInfo(nodes, proc), "amd64");

        assertEquals(2001, info.memoryKiB());
    }

    @Test
    void withoutNumaNodesInSysfsMemoryIsProcMeminfosMemTotal() throws IOException {
        Path proc = Files.writeString(dir.resolve("meminfo"), "MemTotal:       24683664 kB\nMemFree: 1 kB\n");

        NodeInfo info = HostInfo.parse(ONE_CPU, HostInfo.memoryInfo(dir.resolve("absent"), proc), "amd64");

        assertEquals(24683664, info.memoryKiB());
    }
}
