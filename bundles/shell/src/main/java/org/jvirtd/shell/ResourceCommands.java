package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's resource controls in the Gogo scope {@code virt}: memtune, schedinfo, blkiotune and cpu-stats, printing
 * what virsh prints.
 */
@Component(service = ResourceCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=memtune", "osgi.command.function=schedinfo", "osgi.command.function=cpu_stats",
    "osgi.command.function=blkiotune"})
public final class ResourceCommands {
    /** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED. */
    private static final long UNLIMITED = 9007199254740991L;

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public ResourceCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    private static int flags(boolean config, boolean live) {
        return (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
    }

    @Descriptor("Get or set memory parameters")
    public void memtune(CommandSession session,
                        @Descriptor("Max memory, as scaled integer (default KiB), -1 for unlimited")
                        @Parameter(names = "--hard-limit", absentValue = "") String hard,
                        @Descriptor("Memory during contention, as scaled integer (default KiB)")
                        @Parameter(names = "--soft-limit", absentValue = "") String soft,
                        @Descriptor("Max memory plus swap, as scaled integer (default KiB)")
                        @Parameter(names = "--swap-hard-limit", absentValue = "") String swap,
                        @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                            absentValue = "false") boolean config,
                        @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                            absentValue = "false") boolean live,
                        @Descriptor("domain name, id or uuid") String domain) {
        List<TypedParameter> changes = new ArrayList<>();
        Shell.run(session, null, () -> {
            addLimit(changes, "hard_limit", hard);
            addLimit(changes, "soft_limit", soft);
            addLimit(changes, "swap_hard_limit", swap);
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                if (!changes.isEmpty()) {
                    c.setMemoryParameters(d, changes, flags(config, live));
                    return;
                }
                for (TypedParameter p : c.memoryParameters(d, flags(config, live))) {
                    long value = (Long) p.value();
                    System.out.printf("%-15s: %s%n", p.field(), value == UNLIMITED ? "unlimited"
                        : Long.toUnsignedString(value));
                }
            }
        });
    }

    /** A memtune size: a scaled integer, KiB by default; -1 is unlimited. */
    private static void addLimit(List<TypedParameter> changes, String field, String text) {
        if (text.isEmpty()) {
            return;
        }
        long kib;
        if (text.equals("-1")) {
            kib = UNLIMITED;
        } else {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([A-Za-z]*)").matcher(text);
            if (!m.matches()) {
                throw new ShellError("Unable to parse integer parameter " + field.replace('_', '-'));
            }
            String unit = m.group(2).isEmpty() ? "k" : m.group(2).substring(0, 1).toLowerCase();
            int shift = "bkmgtpe".indexOf(unit) * 10;
            if (shift < 0) {
                throw new ShellError("Unable to parse integer parameter " + field.replace('_', '-'));
            }
            kib = Math.min(UNLIMITED, (Long.parseLong(m.group(1)) << shift) >> 10);
        }
        changes.add(TypedParameter.ofUllong(field, kib));
    }

    @Descriptor("show/set scheduler parameters")
    public void schedinfo(CommandSession session,
                          @Descriptor("parameter=value to set (cpu_shares, global_quota, ...)")
                          @Parameter(names = "--set", absentValue = "") String set,
                          @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                              absentValue = "false") boolean config,
                          @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                              absentValue = "false") boolean live,
                          @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                int count = c.schedulerParameterCount(d);
                if (!set.isEmpty()) {
                    String[] kv = set.split("=", 2);
                    if (kv.length != 2) {
                        throw new ShellError("Invalid syntax for --set, expecting name=value");
                    }
                    long value = Long.parseLong(kv[1].strip());
                    c.setSchedulerParameters(d, List.of(kv[0].endsWith("_quota") ? TypedParameter.ofLlong(kv[0], value)
                        : TypedParameter.ofUllong(kv[0], value)), flags(config, live));
                }
                System.out.printf("%-15s: %s%n", "Scheduler", "posix");
                List<TypedParameter> params = c.schedulerParameters(d, flags(config, live));
                for (TypedParameter p : params.subList(0, Math.min(count, params.size()))) {
                    System.out.printf("%-15s: %s%n", p.field(), p.type() == TypedParameter.Type.ULLONG
                        ? Long.toUnsignedString((Long) p.value()) : p.value());
                }
            }
        });
    }

    @Descriptor("Get or set blkio parameters")
    public void blkiotune(CommandSession session,
                          @Descriptor("IO Weight in range [100, 1000]") @Parameter(names = "--weight",
                              absentValue = "0") int weight,
                          @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                              absentValue = "false") boolean config,
                          @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                              absentValue = "false") boolean live,
                          @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                if (weight != 0) {
                    c.setBlkioParameters(d, List.of(TypedParameter.ofUint("weight", weight)), flags(config, live));
                    return;
                }
                for (TypedParameter p : c.blkioParameters(d, flags(config, live))) {
                    System.out.printf("%-15s: %s%n", p.field(), p.type() == TypedParameter.Type.UINT
                        ? Integer.toUnsignedString((Integer) p.value()) : p.value());
                }
            }
        });
    }

    @Descriptor("show domain cpu statistics")
    public void cpu_stats(CommandSession session,
                          @Descriptor("Show total statistics only") @Parameter(names = "--total",
                              presentValue = "true", absentValue = "false") boolean total,
                          @Descriptor("Show statistics from this CPU") @Parameter(names = "--start",
                              absentValue = "-1") int start,
                          @Descriptor("Number of shown CPUs at most") @Parameter(names = "--count",
                              absentValue = "-1") int count,
                          @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                boolean perCpu = !total || start >= 0 || count >= 0;
                if (perCpu) {
                    int first = Math.max(start, 0);
                    List<List<TypedParameter>> cpus = c.cpuStats(d, first, count < 0 ? Integer.MAX_VALUE : count, 0);
                    for (int i = 0; i < cpus.size(); i++) {
                        System.out.printf("CPU%d:%n", first + i);
                        cpus.get(i).forEach(ResourceCommands::printTime);
                    }
                }
                if (total || start < 0 && count < 0) {
                    System.out.println("Total:");
                    c.cpuStats(d, -1, 1, 0).get(0).forEach(ResourceCommands::printTime);
                }
            }
        });
    }

    private static void printTime(TypedParameter p) {
        long ns = (Long) p.value();
        System.out.printf("\t%-12s %9d.%09d seconds%n", p.field(), ns / 1_000_000_000L, ns % 1_000_000_000L);
    }
}
