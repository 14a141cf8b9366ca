package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.VcpuInfo;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's domain statistics commands in the Gogo scope {@code virt}, with virsh's output: domblkstat,
 * domifstat, dommemstat, domstats, domifaddr, vcpuinfo, domblkinfo.
 */
@Component(service = DomainStatsCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=domblkstat", "osgi.command.function=domifstat", "osgi.command.function=dommemstat",
    "osgi.command.function=domstats", "osgi.command.function=domifaddr", "osgi.command.function=vcpuinfo",
    "osgi.command.function=domblkinfo", "osgi.command.function=domdirtyrate_calc"})
public final class DomainStatsCommands {
    /** virsh's names for the block statistics fields, in its order. */
    private static final String[][] BLOCK_FIELDS = {{"rd_operations", "rd_req"}, {"rd_bytes", "rd_bytes"},
        {"wr_operations", "wr_req"}, {"wr_bytes", "wr_bytes"}, {"flush_operations", "flush_operations"},
        {"rd_total_times", "rd_total_times"}, {"wr_total_times", "wr_total_times"},
        {"flush_total_times", "flush_total_times"}, {"errs", "errs"}};
    /** virDomainMemoryStatTags as virsh names them, by tag number. */
    private static final String[] MEMORY_TAGS = {"swap_in", "swap_out", "major_fault", "minor_fault", "unused",
        "available", "actual", "rss", "usable", "last_update", "disk_caches", "hugetlb_pgalloc", "hugetlb_pgfail"};

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public DomainStatsCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("get device block stats for a domain")
    public void domblkstat(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                           @Descriptor("block device (all disks summed when left out)") String... devices) {
        String device = devices.length > 0 ? devices[0] : "";
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                Map<String, Object> values = byField(c.blockStats(d, device));
                for (String[] field : BLOCK_FIELDS) {
                    if (values.containsKey(field[0])) {
                        System.out.println(device + " " + field[1] + " " + values.get(field[0]));
                    }
                }
                System.out.println();
            }
        });
    }

    @Descriptor("get network interface stats for a domain")
    public void domifstat(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("interface device specified by name or MAC Address") String iface) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                InterfaceStats s;
                try {
                    s = c.interfaceStats(d, iface);
                } catch (VirtException e) {
                    throw new ShellError("Failed to get interface stats " + domain + " " + iface, e.getMessage());
                }
                long[] values = {s.rxBytes(), s.rxPackets(), s.rxErrs(), s.rxDrop(), s.txBytes(), s.txPackets(),
                    s.txErrs(), s.txDrop()};
                String[] names = {"rx_bytes", "rx_packets", "rx_errs", "rx_drop", "tx_bytes", "tx_packets", "tx_errs",
                    "tx_drop"};
                for (int i = 0; i < names.length; i++) {
                    if (values[i] >= 0) {
                        System.out.println(iface + " " + names[i] + " " + values[i]);
                    }
                }
                System.out.println();
            }
        });
    }

    @Descriptor("get memory statistics for a domain")
    public void dommemstat(CommandSession session,
                           @Descriptor("period in seconds to set collection")
                           @Parameter(names = "--period", absentValue = "-1") int period,
                           @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                               absentValue = "false") boolean config,
                           @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                               absentValue = "false") boolean live,
                           @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                if (period >= 0) {
                    try {
                        c.setMemoryStatsPeriod(d, period, (config ? DomainFlags.AFFECT_CONFIG : 0)
                            | (live ? DomainFlags.AFFECT_LIVE : 0));
                    } catch (VirtException e) {
                        throw new ShellError("Unable to change balloon collection period.", e.getMessage());
                    }
                    return;
                }
                List<MemoryStat> stats;
                try {
                    stats = c.memoryStats(d, MemoryStat.TAG_COUNT, 0);
                } catch (VirtException e) {
                    throw new ShellError("Failed to get memory statistics for domain " + domain, e.getMessage());
                }
                for (MemoryStat stat : stats) {
                    if (stat.tag() >= 0 && stat.tag() < MEMORY_TAGS.length) {
                        System.out.println(MEMORY_TAGS[stat.tag()] + " " + stat.value());
                    }
                }
                System.out.println();
            }
        });
    }

    @Descriptor("get statistics about one or multiple domains")
    public void domstats(CommandSession session,
                         @Descriptor("report domain state") @Parameter(names = "--state", presentValue = "true",
                             absentValue = "false") boolean state,
                         @Descriptor("report domain physical cpu usage") @Parameter(names = "--cpu-total",
                             presentValue = "true", absentValue = "false") boolean cpu,
                         @Descriptor("report domain balloon statistics") @Parameter(names = "--balloon",
                             presentValue = "true", absentValue = "false") boolean balloon,
                         @Descriptor("report domain virtual cpu information") @Parameter(names = "--vcpu",
                             presentValue = "true", absentValue = "false") boolean vcpu,
                         @Descriptor("report domain network interface information") @Parameter(names = "--interface",
                             presentValue = "true", absentValue = "false") boolean iface,
                         @Descriptor("report domain block device statistics") @Parameter(names = "--block",
                             presentValue = "true", absentValue = "false") boolean block,
                         @Descriptor("list only active domains") @Parameter(names = "--list-active",
                             presentValue = "true", absentValue = "false") boolean active,
                         @Descriptor("list only inactive domains") @Parameter(names = "--list-inactive",
                             presentValue = "true", absentValue = "false") boolean inactive,
                         @Descriptor("list of domains to get stats for") String... domains) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                int groups = (state ? DomainStats.STATE : 0) | (cpu ? DomainStats.CPU_TOTAL : 0)
                    | (balloon ? DomainStats.BALLOON : 0) | (vcpu ? DomainStats.VCPU : 0)
                    | (iface ? DomainStats.INTERFACE : 0) | (block ? DomainStats.BLOCK : 0);
                int flags = (active ? 1 : 0) | (inactive ? 2 : 0);
                List<DomainRef> refs = new ArrayList<>();
                for (String name : domains) {
                    refs.add(DomainCommands.lookup(c, name));
                }
                for (DomainStats record : c.allDomainStats(refs, groups, refs.isEmpty() ? flags : 0)) {
                    System.out.println("Domain: '" + record.domain().name() + "'");
                    for (TypedParameter p : record.params()) {
                        System.out.println("  " + p.field() + "=" + p.value());
                    }
                    System.out.println();
                }
            }
        });
    }

    @Descriptor("get network interfaces' addresses for a running domain")
    public void domifaddr(CommandSession session,
                          @Descriptor("address source: lease, agent or arp")
                          @Parameter(names = "--source", absentValue = "lease") String source,
                          @Descriptor("always display names and MACs of interfaces")
                          @Parameter(names = "--full", presentValue = "true", absentValue = "false") boolean full,
                          @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            int from = switch (source) {
                case "lease" -> DomainInterface.SOURCE_LEASE;
                case "agent" -> DomainInterface.SOURCE_AGENT;
                case "arp" -> DomainInterface.SOURCE_ARP;
                default -> throw new ShellError("Unknown data source '" + source + "'");
            };
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                List<DomainInterface> interfaces;
                try {
                    interfaces = c.interfaceAddresses(d, from, 0);
                } catch (VirtException e) {
                    throw new ShellError("Failed to query for interfaces addresses", e.getMessage());
                }
                System.out.printf(" %-10s %-20s %-8s     %s%n%s%n", "Name", "MAC address", "Protocol", "Address",
                    "-".repeat(79));
                for (DomainInterface iface : interfaces) {
                    String mac = iface.hwaddr() == null ? "N/A" : iface.hwaddr();
                    if (iface.addresses().isEmpty()) {
                        System.out.printf(" %-10s %-17s    %-12s %s%n", iface.name(), mac, "N/A", "N/A");
                    }
                    for (int j = 0; j < iface.addresses().size(); j++) {
                        DomainInterface.Address a = iface.addresses().get(j);
                        boolean first = full || j == 0;
                        System.out.printf(" %-10s %-17s    %-12s %s%n", first ? iface.name() : "-",
                            first ? mac : "-", a.type() == 0 ? "ipv4" : "ipv6", a.address() + "/" + a.prefix());
                    }
                }
                System.out.println();
            }
        });
    }

    @Descriptor("detailed domain vcpu information")
    public void vcpuinfo(CommandSession session,
                         @Descriptor("return human readable output")
                         @Parameter(names = "--pretty", presentValue = "true", absentValue = "false") boolean pretty,
                         @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                int hostCpus = c.nodeCpuMap(0).cpus();
                if (c.isActive(d)) {
                    for (VcpuInfo v : c.vcpuInfo(d)) {
                        System.out.printf("%-15s %d%n", "VCPU:", v.number());
                        System.out.printf("%-15s %d%n", "CPU:", v.cpu());
                        System.out.printf("%-15s %s%n", "State:", v.state() == 1 ? "running" : "offline");
                        System.out.printf("%-15s %.1fs%n", "CPU time:", v.cpuTimeNanos() / 1e9);
                        System.out.printf("%-15s %s%n%n", "CPU Affinity:", affinity(v.affinity(), hostCpus, pretty));
                    }
                    return;
                }
                List<java.util.BitSet> pins = c.vcpuPinInfo(d, 0);
                for (int n = 0; n < pins.size(); n++) {
                    System.out.printf("%-15s %d%n", "VCPU:", n);
                    System.out.printf("%-15s %s%n", "CPU:", "N/A");
                    System.out.printf("%-15s %s%n", "State:", "N/A");
                    System.out.printf("%-15s %s%n", "CPU time", "N/A");
                    System.out.printf("%-15s %s%n%n", "CPU Affinity:", affinity(pins.get(n), hostCpus, pretty));
                }
            }
        });
    }

    @Descriptor("Calculate a vm's memory dirty rate")
    public void domdirtyrate_calc(CommandSession session,
                                  @Descriptor("calculate memory dirty rate within specified seconds, 1 to 60")
                                  @Parameter(names = "--seconds", absentValue = "1") int seconds,
                                  @Descriptor("page-sampling, dirty-bitmap or dirty-ring")
                                  @Parameter(names = "--mode", absentValue = "") String mode,
                                  @Descriptor("domain name, id or uuid") String domain) {
        int flags = switch (mode) {
            case "", "page-sampling" -> 0;
            case "dirty-bitmap" -> 1;
            case "dirty-ring" -> 2;
            default -> throw new ShellError("Invalid mode: " + mode);
        };
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                c.startDirtyRateCalc(DomainCommands.lookup(c, domain), seconds, flags);
                System.out.println("Start to calculate domain's memory dirty rate successfully.");
            }
        });
    }

    @Descriptor("domain block device size information")
    public void domblkinfo(CommandSession session,
                           @Descriptor("display all block devices info")
                           @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                           @Descriptor("domain name, id or uuid, then the block device") String... args) {
        Shell.run(session, null, () -> {
            if (args.length == 0 || !all && args.length < 2) {
                throw new ShellError(args.length == 0 ? "command 'domblkinfo' requires <domain> option"
                    : "command 'domblkinfo' requires <device> option");
            }
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, args[0]);
                if (!all) {
                    BlockInfo info = c.blockInfo(d, args[1], 0);
                    System.out.printf("%-15s %d%n%-15s %d%n%-15s %d%n%n", "Capacity:", info.capacity(), "Allocation:",
                        info.allocation(), "Physical:", info.physical());
                    return;
                }
                Table table = new Table("Target", "Capacity", "Allocation", "Physical");
                for (String target : diskTargets(c.xml(d, 0))) {
                    BlockInfo info = c.blockInfo(d, target, 0);
                    table.row(target, Long.toString(info.capacity()), Long.toString(info.allocation()),
                        Long.toString(info.physical()));
                }
                System.out.print(table.render());
            }
        });
    }

    /** The target names of a domain's disks, in document order. */
    private static List<String> diskTargets(String xml) {
        List<String> targets = new ArrayList<>();
        java.util.regex.Matcher disk = java.util.regex.Pattern.compile("<disk\\b.*?</disk>", java.util.regex.Pattern.DOTALL)
            .matcher(xml);
        while (disk.find()) {
            java.util.regex.Matcher target = java.util.regex.Pattern.compile("<target dev='([^']+)'").matcher(disk.group());
            if (target.find()) {
                targets.add(target.group(1));
            }
        }
        return targets;
    }

    /** "yy-y" as virsh draws a CPU map, or "0-1,3 (out of 4)" with --pretty. */
    private static String affinity(java.util.BitSet cpus, int hostCpus, boolean pretty) {
        if (pretty) {
            return HostCommands.ranges(cpus) + " (out of " + hostCpus + ")";
        }
        StringBuilder map = new StringBuilder();
        for (int cpu = 0; cpu < hostCpus; cpu++) {
            map.append(cpus.get(cpu) ? 'y' : '-');
        }
        return map.toString();
    }

    private static Map<String, Object> byField(List<TypedParameter> params) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        params.forEach(p -> values.put(p.field(), p.value()));
        return values;
    }
}
