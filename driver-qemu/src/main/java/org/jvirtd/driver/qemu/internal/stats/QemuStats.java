package org.jvirtd.driver.qemu.internal.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.driver.qemu.internal.command.DeviceAliases;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * A running guest's statistics as libvirt's QEMU driver reports them: disk counters from query-blockstats,
 * interface counters from its TAP devices, the balloon from query-balloon and the balloon's guest-stats,
 * CPU times from /proc, and the groups of virConnectGetAllDomainStats built from those.
 */
public final class QemuStats {
    /** The groups {@link #groups} fills. */
    public static final int GROUPS = DomainStats.CPU_TOTAL | DomainStats.BALLOON | DomainStats.VCPU
        | DomainStats.INTERFACE | DomainStats.BLOCK | DomainStats.DIRTYRATE;
    /** query-dirty-rate's status and mode names, in the order of libvirt's numbers for them. */
    private static final List<String> DIRTYRATE_STATUS = List.of("unstarted", "measuring", "measured");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final String BALLOON_PATH = "/machine/peripheral/balloon0";
    /** guest-stats keys of the virtio balloon and the memory stat tags libvirt maps them to, in libvirt's order. */
    private static final List<Object[]> GUEST_STATS = List.of(
        new Object[] {"stat-swap-in", MemoryStat.SWAP_IN, "swap_in"},
        new Object[] {"stat-swap-out", MemoryStat.SWAP_OUT, "swap_out"},
        new Object[] {"stat-major-faults", MemoryStat.MAJOR_FAULT, "major_fault"},
        new Object[] {"stat-minor-faults", MemoryStat.MINOR_FAULT, "minor_fault"},
        new Object[] {"stat-free-memory", MemoryStat.UNUSED, "unused"},
        new Object[] {"stat-total-memory", MemoryStat.AVAILABLE, "available"},
        new Object[] {"stat-available-memory", MemoryStat.USABLE, "usable"},
        new Object[] {"stat-disk-caches", MemoryStat.DISK_CACHES, "disk_caches"},
        new Object[] {"stat-htlb-pgalloc", MemoryStat.HUGETLB_PGALLOC, "hugetlb_pgalloc"},
        new Object[] {"stat-htlb-pgfail", MemoryStat.HUGETLB_PGFAIL, "hugetlb_pgfail"});

    private final QmpClient qmp;
    private final long pid;
    private final GuestDef def;

    /** The statistics of the guest {@code def} that QEMU process {@code pid} runs, asked over {@code qmp}. */
    public QemuStats(QmpClient qmp, long pid, GuestDef def) {
        this.qmp = qmp;
        this.pid = pid;
        this.def = def;
    }

    // ---- disks

    /** One disk's counters, as query-blockstats and query-block give them. */
    record DiskCounters(GuestDef.Disk disk, Map<String, Object> stats, Map<String, Object> image) {
        long stat(String key) {
            Object value = stats.get(key);
            return value instanceof Number n ? n.longValue() : 0;
        }
    }

    /** virDomainBlockStatsFlags: one disk by target or source, or every disk summed for "". */
    public List<TypedParameter> blockStats(String name) {
        List<DiskCounters> disks = diskCounters();
        List<DiskCounters> chosen = name.isEmpty() ? disks
            : disks.stream().filter(d -> name.equals(d.disk().target()) || name.equals(d.disk().source())).toList();
        if (chosen.isEmpty() && !name.isEmpty()) {
            boolean known = def.devices().disks().stream()
                .anyMatch(d -> name.equals(d.target()) || name.equals(d.source()));
            throw known ? VirtErrors.internal(ErrorDomain.QEMU, "cannot find statistics for device '" + name + "'")
                : new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid path: " + name);
        }
        String[][] fields = {{"wr_bytes", "wr_bytes"}, {"wr_operations", "wr_operations"}, {"rd_bytes", "rd_bytes"},
            {"rd_operations", "rd_operations"}, {"flush_operations", "flush_operations"},
            {"wr_total_times", "wr_total_time_ns"}, {"rd_total_times", "rd_total_time_ns"},
            {"flush_total_times", "flush_total_time_ns"}};
        List<TypedParameter> params = new ArrayList<>();
        for (String[] field : fields) {
            params.add(TypedParameter.ofLlong(field[0], chosen.stream().mapToLong(d -> d.stat(field[1])).sum()));
        }
        return params;
    }

    /**
     * virDomainGetBlockInfo of a running guest: QEMU's capacity; a file's allocation and length as for an
     * inactive guest, a block device's allocation as the highest offset QEMU wrote (libvirt's rules).
     */
    public BlockInfo blockInfo(String name) {
        DiskCounters d = diskCounters().stream()
            .filter(c -> name.equals(c.disk().target()) || name.equals(c.disk().source())).findFirst()
            .orElseThrow(() -> invalidPath(name));
        long capacity = d.image().get("virtual-size") instanceof Number n ? n.longValue() : 0;
        if (d.disk().source() != null && "file".equals(d.disk().type())) {
            BlockInfo file = DiskFiles.info(Path.of(d.disk().source()), d.disk().format());
            return new BlockInfo(capacity, file.allocation(), file.physical());
        }
        return new BlockInfo(capacity, d.stat("wr_highest_offset"), capacity);
    }

    /** The disk of a definition by target or source path, as virDomainGetBlockInfo names it. */
    public static GuestDef.Disk disk(GuestDef def, String name) {
        return def.devices().disks().stream().filter(d -> name.equals(d.target()) || name.equals(d.source()))
            .findFirst().orElseThrow(() -> invalidPath(name));
    }

    private static VirtException invalidPath(String name) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid path " + name
            + " not assigned to domain");
    }

    private List<DiskCounters> diskCounters() {
        List<Map<String, Object>> stats = list(qmp.execute("query-blockstats", null, TIMEOUT));
        List<Map<String, Object>> blocks = list(qmp.execute("query-block", null, TIMEOUT));
        List<DiskCounters> result = new ArrayList<>();
        for (GuestDef.Disk disk : def.devices().disks()) {
            Map<String, Object> block = blocks.stream().filter(b -> isDevice(b, disk)).findFirst().orElse(null);
            if (block == null) {
                continue;
            }
            Object qdev = block.get("qdev");
            Map<String, Object> entry = stats.stream().filter(s -> qdev != null && qdev.equals(s.get("qdev")))
                .findFirst().orElse(null);
            Map<String, Object> inserted = map(block.get("inserted"));
            result.add(new DiskCounters(disk, entry == null ? Map.of() : map(entry.get("stats")),
                inserted == null ? Map.of() : map(inserted.get("image"))));
        }
        return result;
    }

    /** A query-block entry is a disk's when its device id is the disk's alias or it has the disk's file open. */
    private static boolean isDevice(Map<String, Object> block, GuestDef.Disk disk) {
        String alias = DeviceAliases.disk(disk);
        Object qdev = block.get("qdev");
        if (alias != null && qdev instanceof String id
            && (id.equals(alias) || id.startsWith("/machine/peripheral/" + alias + "/"))) {
            return true;
        }
        Map<String, Object> inserted = map(block.get("inserted"));
        return inserted != null && disk.source() != null && disk.source().equals(inserted.get("file"));
    }

    // ---- interfaces

    /** virDomainInterfaceStats: the interface with this target device or MAC address, as the guest sees it. */
    public InterfaceStats interfaceStats(String device) {
        GuestDef.Interface nic = def.devices().interfaces().stream()
            .filter(n -> device.equalsIgnoreCase(n.mac()) || device.equals(n.targetDev())).findFirst()
            .orElseThrow(() -> new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN,
                "'" + device + "' is not a known interface"));
        if (nic.targetDev() == null) {
            throw VirtErrors.internal(ErrorDomain.NONE, "Interface name not provided");
        }
        InterfaceStats stats = NetDevCounters.guestView(procLines("net/dev"), nic.targetDev());
        if (stats == null) {
            throw VirtErrors.internal(ErrorDomain.NONE, "/proc/net/dev: Interface not found");
        }
        return stats;
    }

    // ---- memory

    /** virDomainMemoryStats: the balloon's actual size and the guest's figures where it has a balloon, then RSS. */
    public List<MemoryStat> memoryStats() {
        List<MemoryStat> stats = new ArrayList<>();
        if (def.devices().memballoon() != null && !"none".equals(def.devices().memballoon().model())) {
            Map<String, Object> balloon = map(qmp.execute("query-balloon", null, TIMEOUT));
            stats.add(new MemoryStat(MemoryStat.ACTUAL_BALLOON, number(balloon.get("actual")) / 1024));
            Map<String, Object> guest = guestStats();
            Map<String, Object> values = guest == null ? Map.of() : map(guest.get("stats"));
            for (Object[] stat : GUEST_STATS) {
                long value = number(values.getOrDefault(stat[0], -1L));
                if (value >= 0) {
                    boolean bytes = (int) stat[1] == MemoryStat.UNUSED || (int) stat[1] == MemoryStat.AVAILABLE
                        || (int) stat[1] == MemoryStat.USABLE || (int) stat[1] == MemoryStat.DISK_CACHES
                        || (int) stat[1] == MemoryStat.SWAP_IN || (int) stat[1] == MemoryStat.SWAP_OUT;
                    stats.add(new MemoryStat((int) stat[1], bytes ? value / 1024 : value));
                }
                // libvirt reports the time of the guest's last report right after "usable"
                if ((int) stat[1] == MemoryStat.USABLE) {
                    stats.add(new MemoryStat(MemoryStat.LAST_UPDATE, guest == null ? 0
                        : number(guest.get("last-update"))));
                }
            }
        }
        stats.add(new MemoryStat(MemoryStat.RSS, rssKiB()));
        return stats;
    }

    private Map<String, Object> guestStats() {
        try {
            return map(qmp.execute("qom-get", Props.of("path", BALLOON_PATH).put("property", "guest-stats"), TIMEOUT));
        } catch (VirtException e) {
            return null;
        }
    }

    private long rssKiB() {
        String[] f = procStat(procLines("stat"));
        return f.length > 21 ? Long.parseLong(f[21]) * 4 : 0;
    }

    // ---- virConnectGetAllDomainStats

    /** The asked-for groups of a running guest, named as libvirt names them. */
    public List<TypedParameter> groups(int wanted) {
        List<TypedParameter> params = new ArrayList<>();
        if ((wanted & DomainStats.CPU_TOTAL) != 0) {
            String[] f = procStat(procLines("stat"));
            long user = Long.parseLong(f[11]) * NANOS_PER_TICK;
            long system = Long.parseLong(f[12]) * NANOS_PER_TICK;
            params.add(TypedParameter.ofUllong("cpu.time", user + system));
            params.add(TypedParameter.ofUllong("cpu.user", user));
            params.add(TypedParameter.ofUllong("cpu.system", system));
        }
        if ((wanted & DomainStats.BALLOON) != 0) {
            balloonGroup(params);
        }
        if ((wanted & DomainStats.VCPU) != 0) {
            vcpuGroup(params);
        }
        if ((wanted & DomainStats.INTERFACE) != 0) {
            interfaceGroup(params);
        }
        if ((wanted & DomainStats.BLOCK) != 0) {
            blockGroup(params);
        }
        if ((wanted & DomainStats.DIRTYRATE) != 0) {
            dirtyRateGroup(params);
        }
        return params;
    }

    /** The last calculation virDomainStartDirtyRateCalc started (query-dirty-rate), as libvirt 9.0 lists it. */
    private void dirtyRateGroup(List<TypedParameter> params) {
        Map<String, Object> rate = map(qmp.execute("query-dirty-rate", null, TIMEOUT));
        String mode = rate.get("mode") == null ? "page-sampling" : String.valueOf(rate.get("mode"));
        int status = Math.max(0, DIRTYRATE_STATUS.indexOf(String.valueOf(rate.get("status"))));
        params.add(new TypedParameter("dirtyrate.calc_status", TypedParameter.Type.INT, status));
        params.add(TypedParameter.ofLlong("dirtyrate.calc_start_time", number(rate.get("start-time"))));
        params.add(new TypedParameter("dirtyrate.calc_period", TypedParameter.Type.INT,
            (int) number(rate.get("calc-time"))));
        params.add(new TypedParameter("dirtyrate.calc_mode", TypedParameter.Type.STRING, mode));
        if (status == 2) {
            params.add(TypedParameter.ofLlong("dirtyrate.megabytes_per_second", number(rate.get("dirty-rate"))));
            if ("dirty-ring".equals(mode) && rate.get("vcpu-dirty-rate") != null) {
                for (Map<String, Object> vcpu : list(rate.get("vcpu-dirty-rate"))) {
                    params.add(TypedParameter.ofUllong("dirtyrate.vcpu." + number(vcpu.get("id"))
                        + ".megabytes_per_second", number(vcpu.get("dirty-rate"))));
                }
            }
        }
    }

    private void balloonGroup(List<TypedParameter> params) {
        List<MemoryStat> memory = memoryStats();
        long current = memory.stream().filter(m -> m.tag() == MemoryStat.ACTUAL_BALLOON).mapToLong(MemoryStat::value)
            .findFirst().orElse(def.memoryKiB());
        params.add(TypedParameter.ofUllong("balloon.current", current));
        params.add(TypedParameter.ofUllong("balloon.maximum", def.memoryKiB()));
        for (MemoryStat stat : memory) {
            String name = switch (stat.tag()) {
                case MemoryStat.ACTUAL_BALLOON -> null;
                case MemoryStat.LAST_UPDATE -> "last-update";
                case MemoryStat.RSS -> "rss";
                default -> GUEST_STATS.stream().filter(s -> (int) s[1] == stat.tag()).map(s -> (String) s[2])
                    .findFirst().orElse(null);
            };
            if (name != null) {
                params.add(TypedParameter.ofUllong("balloon." + name, stat.value()));
            }
        }
    }

    private void vcpuGroup(List<TypedParameter> params) {
        List<Map<String, Object>> cpus = list(qmp.execute("query-cpus-fast", null, TIMEOUT));
        params.add(TypedParameter.ofUint("vcpu.current", cpus.size()));
        params.add(TypedParameter.ofUint("vcpu.maximum", def.vcpus()));
        for (Map<String, Object> cpu : cpus) {
            long index = number(cpu.get("cpu-index"));
            params.add(new TypedParameter("vcpu." + index + ".state", TypedParameter.Type.INT, 1));
            String[] f = procStat(threadStat(number(cpu.get("thread-id"))));
            long time = f.length > 12 ? (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK : 0;
            params.add(TypedParameter.ofUllong("vcpu." + index + ".time", time));
        }
    }

    /**
     * virDomainGetVcpus: each vCPU thread QEMU names (query-cpus-fast), its CPU time and last host CPU from
     * its /proc stat, its affinity from its status (Cpus_allowed_list).
     */
    public List<VcpuInfo> vcpus() {
        List<VcpuInfo> result = new ArrayList<>();
        for (Map<String, Object> cpu : list(qmp.execute("query-cpus-fast", null, TIMEOUT))) {
            long tid = number(cpu.get("thread-id"));
            String[] f = procStat(threadStat(tid));
            long time = f.length > 12 ? (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK : 0;
            int host = f.length > 36 ? Integer.parseInt(f[36]) : -1;
            result.add(new VcpuInfo((int) number(cpu.get("cpu-index")), 1, time, host, affinity(tid)));
        }
        return result;
    }

    private java.util.BitSet affinity(long tid) {
        java.util.BitSet cpus = new java.util.BitSet();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid),
                "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                        int dash = range.indexOf('-');
                        int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                        cpus.set(from, (dash < 0 ? from : Integer.parseInt(range.substring(dash + 1))) + 1);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a thread that just ended has no affinity left to report
        }
        return cpus;
    }

    private void interfaceGroup(List<TypedParameter> params) {
        List<GuestDef.Interface> nics = def.devices().interfaces();
        params.add(TypedParameter.ofUint("net.count", nics.size()));
        List<String> netDev = procLines("net/dev");
        for (int i = 0; i < nics.size(); i++) {
            GuestDef.Interface nic = nics.get(i);
            InterfaceStats s = nic.targetDev() == null ? null : NetDevCounters.guestView(netDev, nic.targetDev());
            if (s == null) {
                continue;
            }
            String p = "net." + i + ".";
            params.add(new TypedParameter(p + "name", TypedParameter.Type.STRING, nic.targetDev()));
            params.add(TypedParameter.ofUllong(p + "rx.bytes", s.rxBytes()));
            params.add(TypedParameter.ofUllong(p + "rx.pkts", s.rxPackets()));
            params.add(TypedParameter.ofUllong(p + "rx.errs", s.rxErrs()));
            params.add(TypedParameter.ofUllong(p + "rx.drop", s.rxDrop()));
            params.add(TypedParameter.ofUllong(p + "tx.bytes", s.txBytes()));
            params.add(TypedParameter.ofUllong(p + "tx.pkts", s.txPackets()));
            params.add(TypedParameter.ofUllong(p + "tx.errs", s.txErrs()));
            params.add(TypedParameter.ofUllong(p + "tx.drop", s.txDrop()));
        }
    }

    private void blockGroup(List<TypedParameter> params) {
        List<DiskCounters> disks = diskCounters();
        params.add(TypedParameter.ofUint("block.count", disks.size()));
        for (int i = 0; i < disks.size(); i++) {
            DiskCounters d = disks.get(i);
            String p = "block." + i + ".";
            params.add(new TypedParameter(p + "name", TypedParameter.Type.STRING, d.disk().target()));
            if (d.disk().source() != null) {
                params.add(new TypedParameter(p + "path", TypedParameter.Type.STRING, d.disk().source()));
            }
            params.add(TypedParameter.ofUint(p + "backingIndex", 1));
            params.add(TypedParameter.ofUllong(p + "rd.reqs", d.stat("rd_operations")));
            params.add(TypedParameter.ofUllong(p + "rd.bytes", d.stat("rd_bytes")));
            params.add(TypedParameter.ofUllong(p + "rd.times", d.stat("rd_total_time_ns")));
            params.add(TypedParameter.ofUllong(p + "wr.reqs", d.stat("wr_operations")));
            params.add(TypedParameter.ofUllong(p + "wr.bytes", d.stat("wr_bytes")));
            params.add(TypedParameter.ofUllong(p + "wr.times", d.stat("wr_total_time_ns")));
            params.add(TypedParameter.ofUllong(p + "fl.reqs", d.stat("flush_operations")));
            params.add(TypedParameter.ofUllong(p + "fl.times", d.stat("flush_total_time_ns")));
            params.add(TypedParameter.ofUllong(p + "allocation", d.stat("wr_highest_offset")));
            if (d.image().get("virtual-size") instanceof Number capacity) {
                params.add(TypedParameter.ofUllong(p + "capacity", capacity.longValue()));
            }
            if (d.disk().source() != null && "file".equals(d.disk().type())) {
                try {
                    params.add(TypedParameter.ofUllong(p + "physical", Files.size(Path.of(d.disk().source()))));
                } catch (IOException e) {
                    // a file that went away has no size to report; libvirt leaves the field out too
                }
            }
        }
    }

    // ---- /proc and QMP shapes

    private List<String> procLines(String name) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), name));
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "cannot read /proc/" + pid + "/" + name);
        }
    }

    private List<String> threadStat(long tid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The fields of a stat line after the command name (which may hold spaces), from the state on. */
    private static String[] procStat(List<String> lines) {
        String stat = lines.isEmpty() ? "" : lines.get(0);
        int close = stat.lastIndexOf(')');
        return close < 0 ? new String[0] : stat.substring(close + 2).split(" ");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
