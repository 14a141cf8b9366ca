package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.testing.Prerequisite;

/**
 * The real virsh's host commands against the daemon, checked against what this host's kernel reports, and
 * the errors libvirtd 9.0 gives (recorded from it) for what the host lacks or the wire may not carry.
 */
class NodeProceduresTest {
    private static InProcessDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        Prerequisite.requirePrograms("virsh");
        daemon = new InProcessDaemon(ServerSettings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void nodememstatsShowsTheKernelsTotal() throws Exception {
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().split("\\s+")[1];
        String out = virsh("nodememstats");
        assertTrue(out.startsWith(String.format("total  : %20s KiB%n", memTotal)), out);
        assertTrue(out.contains("\nfree   : ") && out.contains("\nbuffers: ") && out.contains("\ncached : "), out);
        String cell = virsh("nodememstats", "--cell", "0");
        assertEquals(2, cell.lines().filter(l -> !l.isBlank()).count(), cell);
    }

    @Test
    void nodecpumapShowsTheKernelsOnlineCpus() throws Exception {
        String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        String out = virsh("nodecpumap", "--pretty");
        assertTrue(out.contains(String.format("%-15s %s%n", "CPU map:", online)), out);
    }

    @Test
    void nodecpustatsAreNanosecondTimesThatGrow() throws Exception {
        long first = field(virsh("nodecpustats"), "user:") + field(virsh("nodecpustats"), "idle:");
        String again = virsh("nodecpustats", "--cpu", "0");
        assertEquals(4, again.lines().filter(l -> !l.isBlank()).count(), again);
        long later = field(virsh("nodecpustats"), "user:") + field(virsh("nodecpustats"), "idle:");
        assertTrue(later >= first && first % 10_000_000L == 0, first + " then " + later);
    }

    @Test
    void freecellAndFreepagesAgreeOnCellZero() throws Exception {
        long freeKiB = field(virsh("freecell", "--cellno", "0"), "0:");
        long pages = field(virsh("freepages", "--cellno", "0", "--pagesize", "4"), "4KiB:");
        // two readings of a live counter: the same order of magnitude, within what a test run allocates
        assertTrue(Math.abs(freeKiB - pages * 4) < 512 * 1024, freeKiB + " KiB vs " + pages + " pages");
    }

    @Test
    void nodeMemoryTuneShowsKsm() throws Exception {
        String scan = Files.readString(Path.of("/sys/kernel/mm/ksm/pages_to_scan")).trim();
        String out = virsh("node-memory-tune");
        assertTrue(out.startsWith("Shared memory:\n\tshm_pages_to_scan " + scan + "\n"), out);
        assertEquals(9, out.lines().filter(l -> !l.isBlank()).count(), out);
    }

    @Test
    void whatTheHostLacksIsRefusedInLibvirtsWords() throws Exception {
        assertEquals("error: Unable to get node cpu stats\nerror: Invalid cpuNum in virHostCPUGetStatsLinux",
            virshError("nodecpustats", "--cpu", "99999"));
        int maxNode = maxNode();
        assertTrue(virshError("nodememstats", "--cell", "99999")
            .endsWith("error: cellNum in virHostMemGetStats must be less than or equal to " + maxNode));
        assertEquals("error: internal error: start cell 99999 out of range (0-" + maxNode + ")",
            virshError("freecell", "--cellno", "99999"));
        assertEquals("error: operation failed: page size 8 is not available on node 0",
            virshError("freepages", "--cellno", "0", "--pagesize", "8"));
    }

    @Test
    void hostChangesAreAnsweredAsLibvirtdAnswersOnThisHost() throws Exception {
        // values the host has already: the calls go through to /sys and change nothing
        String sleep = Files.readString(Path.of("/sys/kernel/mm/ksm/sleep_millisecs")).trim();
        assertEquals("", virsh("node-memory-tune", "--shm-sleep-millisecs", sleep).strip());
        String pages = Files.readString(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).trim();
        assertEquals("", virsh("allocpages", "2M", pages).strip());
        assertEquals(pages, Files.readString(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).trim());
        assertEquals("error: operation failed: page size 3072 is not available", virshError("allocpages", "3M", "1"));
        assertEquals("error: Operation not supported: system pages pool can't be modified",
            virshError("allocpages", "4K", "1"));
        // libvirtd 9.0 on a host without logind and pm-utils supports no suspend target; on one with them
        // the call would put the host to sleep, so it is left out there
        boolean canAsk = Files.exists(Path.of("/run/dbus/system_bus_socket"))
            || Files.isExecutable(Path.of("/usr/bin/pm-is-supported")) || Files.isExecutable(Path.of("/usr/sbin/pm-is-supported"));
        org.junit.jupiter.api.Assumptions.assumeFalse(canAsk, "this host may be able to suspend");
        assertEquals("error: The host was not suspended\nerror: argument unsupported: Suspend-to-RAM",
            virshError("nodesuspend", "mem", "60"));
    }

    @Test
    void theWireBoundsAreLibvirtds() throws Exception {
        try (RawClient client = new RawClient(daemon.socket())) {
            client.open();
            RemoteError tooMany = RawClient.error(client.roundTrip(227, out -> out.writeInt(-1).writeInt(17).writeInt(0)));
            assertEquals("internal error: nparams too large", tooMany.message());
            RemoteError cells = RawClient.error(client.roundTrip(101, out -> out.writeInt(0).writeInt(1025)));
            assertEquals("maxcells > REMOTE_NODE_MAX_CELLS", cells.message());
            RemoteError negative = RawClient.error(client.roundTrip(227, out -> out.writeInt(-5).writeInt(0).writeInt(0)));
            assertEquals(20, negative.domain());
            assertEquals("cpuNum in virNodeGetCPUStats only accepts -1 as a negative value", negative.message());
        }
    }

    /** The highest NUMA node number the kernel lists. */
    private static int maxNode() throws Exception {
        try (var nodes = Files.list(Path.of("/sys/devices/system/node"))) {
            return nodes.map(p -> p.getFileName().toString()).filter(n -> n.matches("node\\d+"))
                .mapToInt(n -> Integer.parseInt(n.substring(4))).max().orElse(0);
        }
    }

    private static long field(String out, String label) {
        return out.lines().filter(l -> l.startsWith(label)).map(l -> l.substring(label.length()).trim().split(" ")[0])
            .mapToLong(Long::parseLong).findFirst().orElseThrow(() -> new AssertionError(label + " in " + out));
    }

    private static String virsh(String... args) throws Exception {
        Processes.Result result = Processes.virsh(daemon.uri(), args);
        assertEquals(0, result.exitCode(), result.toString());
        return result.stdout();
    }

    private static String virshError(String... args) throws Exception {
        Processes.Result result = Processes.virsh(daemon.uri(), args);
        assertEquals(1, result.exitCode(), result.toString());
        return result.stderr().strip();
    }
}
