package org.jvirtd.shell;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.CpuSets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's read-out of domain tunables in the Gogo scope {@code virt}: iothreadinfo, numatune, domiftune, perf
 * and domcontrol, printing what virsh prints.
 */
@Component(service = ParameterCommands.class, property = {"osgi.command.scope=virt",
    "osgi.command.function=iothreadinfo", "osgi.command.function=numatune", "osgi.command.function=domiftune",
    "osgi.command.function=perf", "osgi.command.function=domcontrol"})
public final class ParameterCommands {
    private static final List<String> NUMA_MODES = List.of("strict", "preferred", "interleave", "restrictive");

    private final ShellConnections connections;

    @Activate
    public ParameterCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @FunctionalInterface
    private interface DomainAction {
        void run(Connection c, DomainRef d);
    }

    private void onDomain(CommandSession session, String failure, String domain, DomainAction body) {
        Shell.run(session, failure, () -> {
            try (Connection c = connections.open(session)) {
                body.run(c, DomainCommands.lookup(c, domain));
            }
        });
    }

    private static int flags(boolean config, boolean live) {
        return (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
    }

    @Descriptor("view domain IOThreads")
    public void iothreadinfo(CommandSession session,
                             @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                 absentValue = "false") boolean config,
                             @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                 absentValue = "false") boolean live,
                             @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, null, domain, (c, d) -> {
            List<Map.Entry<Integer, BitSet>> threads = c.iothreadInfo(d, flags(config, live));
            if (threads.isEmpty()) {
                System.out.println("No IOThreads found for the domain");
                return;
            }
            Table table = new Table("IOThread ID", "CPU Affinity");
            threads.forEach(t -> table.row(Integer.toString(t.getKey()), CpuSets.format(t.getValue())));
            System.out.print(table.render());
        });
    }

    @Descriptor("Get or set numa parameters")
    public void numatune(CommandSession session,
                         @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                             absentValue = "false") boolean config,
                         @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                             absentValue = "false") boolean live,
                         @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to get numa parameters", domain, (c, d) -> {
            for (TypedParameter p : c.numaParameters(d, flags(config, live))) {
                Object value = p.field().equals("numa_mode") ? NUMA_MODES.get((Integer) p.value()) : p.value();
                System.out.printf("%-15s: %s%n", p.field(), value);
            }
            System.out.println();
        });
    }

    @Descriptor("get/set parameters of a virtual interface")
    public void domiftune(CommandSession session,
                          @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                              absentValue = "false") boolean config,
                          @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                              absentValue = "false") boolean live,
                          @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("interface device (specify target or mac address)") String device) {
        onDomain(session, "Unable to get interface parameters", domain, (c, d) -> {
            for (TypedParameter p : c.interfaceParameters(d, device, flags(config, live))) {
                System.out.printf("%-15s: %s%n", p.field(), Integer.toUnsignedString((Integer) p.value()));
            }
        });
    }

    @Descriptor("Get or set perf event")
    public void perf(CommandSession session,
                     @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                         absentValue = "false") boolean config,
                     @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                         absentValue = "false") boolean live,
                     @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to get perf events", domain, (c, d) -> {
            for (TypedParameter p : c.perfEvents(d, flags(config, live))) {
                System.out.printf("%-15s: %s%n", p.field(), Boolean.TRUE.equals(p.value()) ? "enabled" : "disabled");
            }
        });
    }

    @Descriptor("domain control interface state")
    public void domcontrol(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, null, domain, (c, d) -> {
            long[] info = c.controlInfo(d, 0);
            System.out.println(switch ((int) info[0]) {
                case 0 -> "ok";
                case 1 -> String.format("job (%.3fs)", info[2] / 1000.0);
                case 2 -> "occupied";
                default -> "error";
            });
        });
    }
}
