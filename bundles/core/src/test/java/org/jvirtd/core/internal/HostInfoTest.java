package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.connect.Connection.NodeInfo;

class HostInfoTest {
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
}
