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
 * virsh's domain tunables in the Gogo scope {@code virt}: iothreadinfo, numatune, domiftune, perf (each also
 * setting with its options) and domcontrol, printing what virsh prints.
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
                         @Descriptor("NUMA mode, one of strict, preferred, interleave and restrictive or a number")
                         @Parameter(names = "--mode", absentValue = "") String mode,
                         @Descriptor("NUMA node selections to set") @Parameter(names = "--nodeset",
                             absentValue = "\u0000") String nodeset,
                         @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                             absentValue = "false") boolean config,
                         @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                             absentValue = "false") boolean live,
                         @Descriptor("domain name, id or uuid") String domain) {
        if (!mode.isEmpty() || !"\u0000".equals(nodeset)) {
            onDomain(session, "Unable to change numa parameters", domain, (c, d) -> {
                List<TypedParameter> params = new java.util.ArrayList<>();
                if (!mode.isEmpty()) {
                    int number = NUMA_MODES.indexOf(mode);
                    try {
                        number = number >= 0 ? number : Integer.parseInt(mode);
                    } catch (NumberFormatException e) {
                        throw new ShellError("Invalid mode: " + mode);
                    }
                    params.add(new TypedParameter("numa_mode", TypedParameter.Type.INT, number));
                }
                if (!"\u0000".equals(nodeset)) {
                    params.add(new TypedParameter("numa_nodeset", TypedParameter.Type.STRING, nodeset));
                }
                c.setNumaParameters(d, params, flags(config, live));
            });
            return;
        }
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
                          @Descriptor("control domain's incoming traffics (average,peak,burst,floor)") @Parameter(
                              names = "--inbound", absentValue = "") String inbound,
                          @Descriptor("control domain's outgoing traffics (average,peak,burst)") @Parameter(
                              names = "--outbound", absentValue = "") String outbound,
                          @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                              absentValue = "false") boolean config,
                          @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                              absentValue = "false") boolean live,
                          @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("interface device (specify target or mac address)") String device) {
        if (!inbound.isEmpty() || !outbound.isEmpty()) {
            onDomain(session, "Unable to set interface parameters", domain, (c, d) -> {
                List<TypedParameter> params = new java.util.ArrayList<>();
                rates(params, "inbound", inbound, List.of("average", "peak", "burst", "floor"));
                rates(params, "outbound", outbound, List.of("average", "peak", "burst"));
                c.setInterfaceParameters(d, device, params, flags(config, live));
            });
            return;
        }
        onDomain(session, "Unable to get interface parameters", domain, (c, d) -> {
            for (TypedParameter p : c.interfaceParameters(d, device, flags(config, live))) {
                System.out.printf("%-15s: %s%n", p.field(), Integer.toUnsignedString((Integer) p.value()));
            }
        });
    }

    @Descriptor("Get or set perf event")
    public void perf(CommandSession session,
                     @Descriptor("perf events which will be enabled") @Parameter(names = "--enable",
                         absentValue = "") String enable,
                     @Descriptor("perf events which will be disabled") @Parameter(names = "--disable",
                         absentValue = "") String disable,
                     @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                         absentValue = "false") boolean config,
                     @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                         absentValue = "false") boolean live,
                     @Descriptor("domain name, id or uuid") String domain) {
        if (!enable.isEmpty() || !disable.isEmpty()) {
            onDomain(session, "Unable to enable/disable perf events", domain, (c, d) -> {
                List<TypedParameter> params = new java.util.ArrayList<>();
                for (String event : enable.isEmpty() ? new String[0] : enable.split(",")) {
                    params.add(new TypedParameter(event, TypedParameter.Type.BOOLEAN, 1));
                }
                for (String event : disable.isEmpty() ? new String[0] : disable.split(",")) {
                    params.add(new TypedParameter(event, TypedParameter.Type.BOOLEAN, 0));
                }
                c.setPerfEvents(d, params, flags(config, live));
            });
            return;
        }
        onDomain(session, "Unable to get perf events", domain, (c, d) -> {
            for (TypedParameter p : c.perfEvents(d, flags(config, live))) {
                System.out.printf("%-15s: %s%n", p.field(), Boolean.TRUE.equals(p.value()) || Integer.valueOf(1).equals(p.value()) ? "enabled" : "disabled");
            }
        });
    }

    /** virsh's "average,peak,burst[,floor]" of one direction as typed parameters (empty fields are left out). */
    static void rates(List<TypedParameter> params, String direction, String text, List<String> fields) {
        if (text.isEmpty()) {
            return;
        }
        String[] values = text.split(",", -1);
        if (values.length > fields.size()) {
            throw new ShellError("inbound rate".replace("inbound", direction) + " format error");
        }
        for (int i = 0; i < values.length; i++) {
            if (!values[i].isEmpty()) {
                params.add(TypedParameter.ofUint(direction + "." + fields.get(i), Long.parseLong(values[i])));
            }
        }
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
