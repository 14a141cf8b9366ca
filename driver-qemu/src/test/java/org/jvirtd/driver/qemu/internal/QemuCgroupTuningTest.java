package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.driver.qemu.internal.process.CgroupTunables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny guest under TCG with its memory limits and CPU shares tuned: what the definition asks for and what
 * memtune/schedinfo calls set live must be in the files of QEMU's own cgroup, and config changes in the
 * persistent definition.
 */
class QemuCgroupTuningTest {
    private static final long UNLIMITED = CgroupTunables.UNLIMITED_KIB;
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
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
    void memtuneFromTheDefinitionAndFromLiveCallsIsInQemusCgroup() throws Exception {
        boolean v2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
        Assumptions.assumeTrue(v2 || Files.exists(CGROUP.resolve("memory/cgroup.procs")), "no memory controller");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-memtune", guest, root.resolve("memtune.log"))
            .replace("<vcpu>1</vcpu>", "<memtune><hard_limit unit='MiB'>2048</hard_limit></memtune><vcpu>1</vcpu>"),
            0);
        assertEquals(List.of(TypedParameter.ofUllong("hard_limit", 2097152), TypedParameter.ofUllong("soft_limit",
            UNLIMITED), TypedParameter.ofUllong("swap_hard_limit", UNLIMITED)), conn.memoryParameters(dom, 0));
        VirtException notRunning = assertThrows(VirtException.class,
            () -> conn.memoryParameters(dom, DomainFlags.AFFECT_LIVE));
        assertEquals("Requested operation is not valid: domain is not running", notRunning.getMessage());

        conn.create(dom, 0);
        Path group = group(conn, v2 ? "" : "memory", "jq-memtune");
        String hardFile = v2 ? "memory.max" : "memory.limit_in_bytes";
        assertEquals(Long.toString(2048L << 20), read(group, hardFile), "<memtune> applied at start");
        assertEquals(2097152L, value(conn.memoryParameters(dom, 0), "hard_limit"));

        conn.setMemoryParameters(dom, List.of(TypedParameter.ofUllong("hard_limit", 1048576)),
            DomainFlags.AFFECT_LIVE);
        assertEquals(Long.toString(1L << 30), read(group, hardFile));
        assertEquals(1048576L, value(conn.memoryParameters(dom, DomainFlags.AFFECT_LIVE), "hard_limit"));
        assertEquals(2097152L, value(conn.memoryParameters(dom, DomainFlags.AFFECT_CONFIG), "hard_limit"),
            "a live change leaves the config alone");
        assertTrue(conn.xml(dom, 0).contains("<hard_limit unit='KiB'>1048576</hard_limit>"), conn.xml(dom, 0));

        conn.setMemoryParameters(dom, List.of(TypedParameter.ofUllong("soft_limit", 524288)),
            DomainFlags.AFFECT_CONFIG);
        String inactive = conn.xml(dom, DomainFlags.XML_INACTIVE);
        assertTrue(inactive.contains("<memtune>\n    <hard_limit unit='KiB'>2097152</hard_limit>\n"
            + "    <soft_limit unit='KiB'>524288</soft_limit>\n  </memtune>"), inactive);
        assertEquals(UNLIMITED, value(conn.memoryParameters(dom, 0), "soft_limit"), "not set live");

        VirtException swap = assertThrows(VirtException.class, () -> conn.setMemoryParameters(dom,
            List.of(TypedParameter.ofUllong("swap_hard_limit", 524288)), DomainFlags.AFFECT_LIVE));
        assertEquals("invalid argument: memory hard_limit tunable value must be lower than or equal to "
            + "swap_hard_limit", swap.getMessage());
        VirtException unknown = assertThrows(VirtException.class, () -> conn.setMemoryParameters(dom,
            List.of(TypedParameter.ofUllong("min_guarantee", 1)), 0));
        assertEquals(ErrorCode.ARGUMENT_UNSUPPORTED, unknown.code());

        conn.setMemoryParameters(dom, List.of(TypedParameter.ofUllong("hard_limit", UNLIMITED)), 0);
        assertEquals(UNLIMITED, value(conn.memoryParameters(dom, 0), "hard_limit"));
        assertTrue(!conn.xml(dom, 0).contains("hard_limit"), "unlimited leaves <memtune>: " + conn.xml(dom, 0));
    }

    @Test
    void schedinfoSharesAndGlobalQuotaAreInQemusCgroup() throws Exception {
        boolean v2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
        Assumptions.assumeTrue(v2 || Files.exists(CGROUP.resolve("cpu/cpu.cfs_period_us")), "no CPU controller");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-sched", guest, root.resolve("sched.log"))
            .replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu><cputune><shares>512</shares></cputune>"), 0);
        assertEquals(9, conn.schedulerParameterCount(dom));
        List<TypedParameter> config = conn.schedulerParameters(dom, 0);
        assertEquals(List.of("cpu_shares", "vcpu_period", "vcpu_quota", "emulator_period", "emulator_quota",
            "global_period", "global_quota", "iothread_period", "iothread_quota"),
            config.stream().map(TypedParameter::field).toList());
        assertEquals(512L, value(config, "cpu_shares"));
        assertEquals(TypedParameter.Type.LLONG, config.get(2).type());

        conn.create(dom, 0);
        Path group = group(conn, v2 ? "" : "cpu", "jq-sched");
        String sharesFile = v2 ? "cpu.weight" : "cpu.shares";
        assertEquals("512", read(group, sharesFile), "<cputune><shares> applied at start");
        conn.setSchedulerParameters(dom, List.of(TypedParameter.ofUllong("cpu_shares", 2048),
            TypedParameter.ofLlong("global_quota", 50000)), DomainFlags.AFFECT_LIVE);
        assertEquals("2048", read(group, sharesFile));
        assertEquals(v2 ? "50000 100000" : "50000", read(group, v2 ? "cpu.max" : "cpu.cfs_quota_us"));
        List<TypedParameter> live = conn.schedulerParameters(dom, 0);
        assertEquals(2048L, value(live, "cpu_shares"));
        assertEquals(50000L, value(live, "global_quota"));
        assertEquals(512L, value(conn.schedulerParameters(dom, DomainFlags.AFFECT_CONFIG), "cpu_shares"));
        assertTrue(conn.xml(dom, 0).contains("<shares>2048</shares>"), conn.xml(dom, 0));

        conn.setSchedulerParameters(dom, List.of(TypedParameter.ofUllong("vcpu_period", 200000)),
            DomainFlags.AFFECT_CONFIG);
        assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains(
            "<cputune>\n    <shares>512</shares>\n    <period>200000</period>\n  </cputune>"),
            conn.xml(dom, DomainFlags.XML_INACTIVE));
        VirtException range = assertThrows(VirtException.class, () -> conn.setSchedulerParameters(dom,
            List.of(TypedParameter.ofUllong("global_period", 500)), 0));
        assertEquals("invalid argument: value of 'global_period' is out of range [1000, 1000000]",
            range.getMessage());
        VirtException perThread = assertThrows(VirtException.class, () -> conn.setSchedulerParameters(dom,
            List.of(TypedParameter.ofLlong("vcpu_quota", 20000)), DomainFlags.AFFECT_LIVE));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, perThread.code());

        // a new run starts from the definition, not from what an earlier run of the same id and name was given
        conn.destroy(dom, 0);
        conn.create(dom, 0);
        Path again = group(conn, v2 ? "" : "cpu", "jq-sched");
        assertEquals("512", read(again, sharesFile));
        assertEquals(v2 ? "max 100000" : "-1", read(again, v2 ? "cpu.max" : "cpu.cfs_quota_us"));
    }

    @Test
    void cpuStatsCountWhatTheGuestRanFromItsCgroup() throws Exception {
        Assumptions.assumeTrue(Files.exists(CGROUP.resolve("cpuacct/cpuacct.usage_percpu")), "no v1 cpuacct");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path console = root.resolve("stats.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-stats", guest, console), 0);
        VirtException notRunning = assertThrows(VirtException.class, () -> conn.cpuStats(dom, -1, 1, 0));
        assertEquals("Requested operation is not valid: domain is not running", notRunning.getMessage());
        conn.create(dom, 0);
        TinyGuest.await(Duration.ofSeconds(60), "GUEST-READY", () -> TinyGuest.count(console, "GUEST-READY") >= 1);

        List<TypedParameter> total = conn.cpuStats(dom, -1, 1, 0).get(0);
        assertEquals(List.of("cpu_time", "user_time", "system_time"),
            total.stream().map(TypedParameter::field).toList());
        long cpuTime = value(total, "cpu_time");
        assertTrue(cpuTime > 100_000_000L, "booting under TCG takes far more than 0.1 s of CPU: " + cpuTime);
        assertTrue(value(total, "user_time") + value(total, "system_time") > 0, total.toString());
        String percpu = read(group(conn, "cpuacct", "jq-stats"), "cpuacct.usage_percpu");
        int hostCpus = percpu.split("\\s+").length;
        List<List<TypedParameter>> perCpu = conn.cpuStats(dom, 0, 128, 0);
        assertEquals(hostCpus, perCpu.size(), "one entry per host CPU the cgroup accounts");
        long sum = perCpu.stream().mapToLong(cpu -> value(cpu, "cpu_time")).sum();
        assertTrue(sum >= cpuTime, "the per-CPU times add up to at least the earlier total: " + sum);
        assertEquals(1, conn.cpuStats(dom, hostCpus - 1, 5, 0).size());
        VirtException start = assertThrows(VirtException.class, () -> conn.cpuStats(dom, hostCpus, 1, 0));
        assertEquals("invalid argument: start_cpu " + hostCpus + " larger than maximum of " + (hostCpus - 1),
            start.getMessage());
    }

    @Test
    void aGroupLeftByAnEarlierRunOfTheSameNameHandsNothingOn() throws Exception {
        Assumptions.assumeTrue(Files.exists(CGROUP.resolve("cpu/cpu.cfs_period_us")), "v1 CPU controller only");
        String own = "";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains("cpu")) {
                own = parts[2].substring(1);
            }
        }
        // the first guest of a fresh daemon gets id 1: its group, as a run that was not cleaned up left it
        Path stale = CGROUP.resolve("cpu").resolve(own).resolve("machine").resolve("qemu-1-jq-stale");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("cpu.shares"), "2048");
        Files.writeString(stale.resolve("cpu.cfs_quota_us"), "30000");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-stale", guest, root.resolve("stale.log"))
            .replace("<vcpu>1</vcpu>", "<vcpu>1</vcpu><cputune><shares>512</shares></cputune>"), 0);
        conn.create(dom, 0);
        Path group = group(conn, "cpu", "jq-stale");
        assertEquals(stale, group);
        assertEquals("512", read(group, "cpu.shares"));
        assertEquals("-1", read(group, "cpu.cfs_quota_us"), "no quota in the definition: none in the group");
    }

    @Test
    void blkiotuneWeightIsInQemusCgroupAndDevicesComeFromTheDefinition() throws Exception {
        boolean v2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
        Assumptions.assumeTrue(!v2 && Files.exists(CGROUP.resolve("blkio/cgroup.procs")), "v1 blkio controller only");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-blkio", guest, root.resolve("blkio.log"))
            .replace("<vcpu>1</vcpu>", "<blkiotune><weight>300</weight><device><path>/dev/vda</path>"
                + "<read_iops_sec>1000</read_iops_sec></device></blkiotune><vcpu>1</vcpu>"), 0);
        List<TypedParameter> config = conn.blkioParameters(dom, 0);
        assertEquals(List.of(TypedParameter.ofUint("weight", 300),
            new TypedParameter("device_weight", TypedParameter.Type.STRING, ""),
            new TypedParameter("device_read_iops_sec", TypedParameter.Type.STRING, "/dev/vda,1000"),
            new TypedParameter("device_write_iops_sec", TypedParameter.Type.STRING, ""),
            new TypedParameter("device_read_bytes_sec", TypedParameter.Type.STRING, ""),
            new TypedParameter("device_write_bytes_sec", TypedParameter.Type.STRING, "")), config);

        conn.create(dom, 0);
        Path group = group(conn, "blkio", "jq-blkio");
        String file = Files.exists(group.resolve("blkio.bfq.weight")) ? "blkio.bfq.weight" : "blkio.weight";
        Assumptions.assumeTrue(Files.exists(group.resolve(file)), "no blkio weight file (no BFQ or CFQ)");
        assertEquals("300", read(group, file), "<blkiotune><weight> applied at start");
        conn.setBlkioParameters(dom, List.of(TypedParameter.ofUint("weight", 700)), DomainFlags.AFFECT_LIVE);
        assertEquals("700", read(group, file));
        assertEquals(700L, value(conn.blkioParameters(dom, 0), "weight"));
        assertEquals(300L, value(conn.blkioParameters(dom, DomainFlags.AFFECT_CONFIG), "weight"));
        conn.setBlkioParameters(dom, List.of(TypedParameter.ofUint("weight", 800)), DomainFlags.AFFECT_CONFIG);
        assertTrue(conn.xml(dom, DomainFlags.XML_INACTIVE).contains("<blkiotune>\n    <weight>800</weight>\n"
            + "    <device>"), conn.xml(dom, DomainFlags.XML_INACTIVE));
        VirtException range = assertThrows(VirtException.class, () -> conn.setBlkioParameters(dom,
            List.of(TypedParameter.ofUint("weight", 50)), 0));
        assertEquals("invalid argument: out of blkio weight range.", range.getMessage());
    }

    @Test
    void aTransientDomainHasNoPersistentTunables() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.createXml(TinyGuest.domainXml("jq-transient", guest, root.resolve("transient.log")), 0);
        VirtException config = assertThrows(VirtException.class,
            () -> conn.memoryParameters(dom, DomainFlags.AFFECT_CONFIG));
        assertEquals("Requested operation is not valid: transient domains do not have any persistent config",
            config.getMessage());
        VirtException set = assertThrows(VirtException.class, () -> conn.setSchedulerParameters(dom,
            List.of(TypedParameter.ofUllong("cpu_shares", 100)), DomainFlags.AFFECT_CONFIG));
        assertEquals(config.getMessage(), set.getMessage());
    }

    @Test
    void aGuestWithoutAMemoryGroupAnswersAsLibvirtDoes() {
        VirtException e = assertThrows(VirtException.class, () -> new CgroupTunables(List.of()).memory());
        assertEquals(ErrorCode.OPERATION_INVALID, e.code());
        assertEquals("Requested operation is not valid: cgroup memory controller is not mounted", e.getMessage());
        VirtException cpu = assertThrows(VirtException.class, () -> new CgroupTunables(List.of()).scheduler());
        assertEquals("Requested operation is not valid: cgroup CPU controller is not mounted", cpu.getMessage());
    }

    private static long value(List<TypedParameter> params, String field) {
        Map<String, Object> values = params.stream().collect(Collectors.toMap(TypedParameter::field,
            TypedParameter::value));
        return ((Number) values.get(field)).longValue();
    }

    /** QEMU's group: machine/qemu-<id>-<name> below this process's own group of the controller ("" for v2). */
    private static Path group(Connection conn, String controller, String name) throws IOException {
        int id = conn.lookupByName(name).id();
        String own = "";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (controller.isEmpty() ? parts[0].equals("0") : List.of(parts[1].split(",")).contains(controller)) {
                own = parts[2].substring(1);
            }
        }
        Path group = CGROUP.resolve(controller).resolve(own).resolve("machine").resolve("qemu-" + id + "-" + name);
        assertTrue(Files.isDirectory(group), "no cgroup " + group);
        return group;
    }

    private static String read(Path group, String file) throws IOException {
        return Files.readString(group.resolve(file)).strip();
    }
}
