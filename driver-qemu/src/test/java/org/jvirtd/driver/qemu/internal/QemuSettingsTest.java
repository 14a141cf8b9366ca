package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;

/**
 * The tiny guest under TCG with its settings changed as it runs: IOThreads added, pinned (the thread QEMU names
 * "IO iothreadN" gets the CPUs) and removed, the disk throttle set at start from {@code <iotune>} and changed
 * with block_set_io_throttle (read back from QEMU), vCPU 1 enabled by setvcpu, and libvirt's refusals of what
 * the guest cannot do (no agent to suspend, nothing to wake, no cpuset cgroup for numatune).
 */
class QemuSettingsTest {
    private static final int STRING_OKAY = 1 << 2;
    private static Path guest;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildGuest() throws Exception {
        guest = TinyGuest.build();
    }

    @AfterEach
    void stopCore() {
        if (core == null) {
            return;
        }
        try {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
        } finally {
            core.close();
        }
    }

    @Test
    void iothreadsThrottleAndVcpusChangeInTheRunningGuest() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = root.resolve("disk.raw");
        try (var file = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(16 << 20);
        }
        String xml = TinyGuest.domainXml("jq-settings", guest, root.resolve("settings.log"))
            .replace("<vcpu>1</vcpu>", "<vcpu current='1'>2</vcpu><iothreads>1</iothreads>"
                + "<cputune><iothreadpin iothread='1' cpuset='0'/></cputune>")
            .replace("<memballoon", "<disk type='file' device='disk'><driver name='qemu' type='raw' iothread='1'/>"
                + "<source file='" + disk + "'/><target dev='vda' bus='virtio'/>"
                + "<iotune><total_bytes_sec>2000000</total_bytes_sec></iotune></disk>\n    <memballoon");
        DomainRef dom = conn.define(xml, 0);
        conn.create(dom, 0);
        long pid = qemuPid();

        Map<String, Object> tune = values(conn.blockIoTune(dom, "vda", DomainFlags.AFFECT_LIVE | STRING_OKAY));
        assertEquals(2000000L, tune.get("total_bytes_sec"), "QEMU got the <iotune> at start: " + tune);
        assertEquals("0", cpus(pid, "IO iothread1"), "the defined iothreadpin holds");

        conn.addIothread(dom, 2, DomainFlags.AFFECT_LIVE);
        assertTrue(threadNames(pid).contains("IO iothread2"), threadNames(pid).toString());
        BitSet cpu1 = new BitSet();
        cpu1.set(Runtime.getRuntime().availableProcessors() > 1 ? 1 : 0);
        conn.pinIothread(dom, 2, cpu1, DomainFlags.AFFECT_LIVE);
        assertEquals(Integer.toString(cpu1.nextSetBit(0)), cpus(pid, "IO iothread2"));
        conn.setIothreadParams(dom, 2, List.of(TypedParameter.ofUllong("poll_max_ns", 1000),
            new TypedParameter("thread_pool_max", TypedParameter.Type.INT, 4)), DomainFlags.AFFECT_LIVE);
        assertTrue(conn.xml(dom, 0).contains("<iothread id='2' thread_pool_max='4'/>"), conn.xml(dom, 0));
        VirtException used = assertThrows(VirtException.class,
            () -> conn.delIothread(dom, 1, DomainFlags.AFFECT_LIVE));
        assertEquals("invalid argument: cannot remove IOThread 1 since it is being used by disk 'vda'",
            used.getMessage());
        conn.delIothread(dom, 2, DomainFlags.AFFECT_LIVE);
        TinyGuest.await(Duration.ofSeconds(20), "iothread2's thread to end",
            () -> !threadNames(pid).contains("IO iothread2"));

        conn.setBlockIoTune(dom, "vda", List.of(TypedParameter.ofUllong("read_iops_sec", 50),
            new TypedParameter("group_name", TypedParameter.Type.STRING, "g1")), DomainFlags.AFFECT_LIVE);
        tune = values(conn.blockIoTune(dom, "vda", DomainFlags.AFFECT_LIVE | STRING_OKAY));
        assertEquals(50L, tune.get("read_iops_sec"));
        assertEquals(2000000L, tune.get("total_bytes_sec"), "another family stays");
        assertEquals("g1", tune.get("group_name"));
        VirtException burst = assertThrows(VirtException.class, () -> conn.setBlockIoTune(dom, "vda",
            List.of(TypedParameter.ofUllong("total_bytes_sec_max_length", 10)), DomainFlags.AFFECT_LIVE));
        assertEquals("internal error: unable to execute QEMU command 'block_set_io_throttle': burst length set "
            + "without burst rate", burst.getMessage(), "QEMU's refusal, named as libvirt names it");
        assertEquals(Map.of(), conn.diskErrors(dom, 0));

        conn.setVcpu(dom, "1", 1, DomainFlags.AFFECT_LIVE);
        assertEquals(2, conn.vcpuInfo(dom).size(), "vCPU 1 was hotplugged");

        VirtException wakeup = assertThrows(VirtException.class, () -> conn.pmWakeup(dom, 0));
        assertTrue(wakeup.getMessage().contains("guest is not in suspended state"), wakeup.getMessage());
        VirtException suspend = assertThrows(VirtException.class, () -> conn.pmSuspend(dom, 0, 0, 0));
        assertEquals("argument unsupported: QEMU guest agent is not configured", suspend.getMessage());
        VirtException numa = assertThrows(VirtException.class, () -> conn.setNumaParameters(dom,
            List.of(new TypedParameter("numa_nodeset", TypedParameter.Type.STRING, "0")), DomainFlags.AFFECT_LIVE));
        assertEquals("Requested operation is not valid: cgroup cpuset controller is not mounted", numa.getMessage());
        assertEquals(1, conn.securityLabels(dom).size());
        VirtException signal = assertThrows(VirtException.class, () -> conn.sendProcessSignal(dom, 1, 0, 0));
        assertEquals("this function is not supported by the connection driver: virDomainSendProcessSignal",
            signal.getMessage());

        conn.destroy(dom, 0);
        assertEquals(List.of(), conn.securityLabels(dom));
        DomainRef renamed = conn.rename(dom, "jq-renamed", 0);
        assertEquals("jq-renamed", renamed.name());
        conn.create(renamed, 0);
        long again = qemuPid();
        assertEquals("0", cpus(again, "IO iothread1"), "the pin is there after the rename and a new start");
    }

    private static Map<String, Object> values(List<TypedParameter> params) {
        Map<String, Object> values = new HashMap<>();
        params.forEach(p -> values.put(p.field(), p.value()));
        return values;
    }

    private long qemuPid() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> pids = files.filter(p -> p.getFileName().toString().equals("qemu.pid")).toList();
            assertEquals(1, pids.size(), pids.toString());
            return Long.parseLong(Files.readString(pids.get(0)).strip());
        }
    }

    private static List<String> threadNames(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    return "";
                }
            }).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Cpus_allowed_list of the QEMU thread named {@code name}. */
    private static String cpus(long pid, String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Cpus_allowed_list:")) {
                            return line.substring(line.indexOf(':') + 1).strip();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no thread " + name + " in " + threadNames(pid));
    }
}
