package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.NetworkPortRef;
import org.jvirtd.api.network.NetworkRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's network port commands (net-port-create, net-port-list, net-port-dumpxml, net-port-delete) in the
 * Gogo scope {@code virt}, with virsh 9.0's output and messages; and net-port-params, which virsh lacks, for a
 * port's bandwidth parameters (virNetworkPortGetParameters/SetParameters) with domiftune's options and output.
 */
@Component(service = NetworkPortCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=net_port_create", "osgi.command.function=net_port_list",
    "osgi.command.function=net_port_dumpxml", "osgi.command.function=net_port_delete",
    "osgi.command.function=net_port_params"})
public final class NetworkPortCommands {
    private final Networks networks;
    private final HyphenatedNames aliases;

    @Activate
    public NetworkPortCommands(@Reference Networks networks, BundleContext context) {
        this.networks = networks;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("create a network port from an XML file")
    public void net_port_create(CommandSession session, @Descriptor("network name or uuid") String network,
                                @Descriptor("file containing an XML network port description") String file) {
        Shell.run(session, null, () -> {
            NetworkRef n = NetworkCommands.lookup(networks, network);
            try {
                NetworkPortRef port = networks.createPort(n, NetworkCommands.readFile(file), 0);
                System.out.println("Network port " + port.uuid() + " created from " + file);
            } catch (VirtException e) {
                // virsh 9.0's wording
                throw new ShellError("Failed to create network from " + file, e.getMessage());
            }
        });
    }

    @Descriptor("list the ports of a network")
    public void net_port_list(CommandSession session,
                              @Descriptor("list uuid's only")
                              @Parameter(names = "--uuid", presentValue = "true", absentValue = "false") boolean uuidOnly,
                              @Descriptor("network name or uuid") String network) {
        Shell.run(session, null, () -> {
            NetworkRef n = NetworkCommands.lookup(networks, network);
            if (uuidOnly) {
                networks.listPorts(n, 0).forEach(p -> System.out.println(p.uuid()));
                return;
            }
            Table table = new Table("UUID");
            networks.listPorts(n, 0).forEach(p -> table.row(p.uuid().toString()));
            System.out.print(table.render());
        });
    }

    @Descriptor("network port information in XML")
    public void net_port_dumpxml(CommandSession session, @Descriptor("network name or uuid") String network,
                                 @Descriptor("port uuid") String port) {
        Shell.run(session, null, () -> System.out.print(networks.portXml(lookup(network, port), 0)));
    }

    @Descriptor("delete a network port")
    public void net_port_delete(CommandSession session, @Descriptor("network name or uuid") String network,
                                @Descriptor("port uuid") String port) {
        Shell.run(session, null, () -> {
            NetworkPortRef ref = lookup(network, port);
            networks.deletePort(ref, 0);
            System.out.println("Network port " + ref.uuid() + " deleted");
        });
    }

    @Descriptor("get or set a network port's bandwidth parameters")
    public void net_port_params(CommandSession session,
                                @Descriptor("incoming traffic (average,peak,burst,floor)") @Parameter(
                                    names = "--inbound", absentValue = "") String inbound,
                                @Descriptor("outgoing traffic (average,peak,burst)") @Parameter(
                                    names = "--outbound", absentValue = "") String outbound,
                                @Descriptor("network name or uuid") String network,
                                @Descriptor("port uuid") String port) {
        Shell.run(session, null, () -> {
            NetworkPortRef ref = lookup(network, port);
            if (!inbound.isEmpty() || !outbound.isEmpty()) {
                List<TypedParameter> params = new ArrayList<>();
                ParameterCommands.rates(params, "inbound", inbound, List.of("average", "peak", "burst", "floor"));
                ParameterCommands.rates(params, "outbound", outbound, List.of("average", "peak", "burst"));
                networks.setPortParameters(ref, params, 0);
                return;
            }
            for (TypedParameter p : networks.portParameters(ref, 0)) {
                System.out.printf("%-16s: %s%n", p.field(), Integer.toUnsignedString((Integer) p.value()));
            }
        });
    }

    private NetworkPortRef lookup(String network, String port) {
        NetworkRef n = NetworkCommands.lookup(networks, network);
        try {
            return networks.lookupPort(n, UUID.fromString(port));
        } catch (IllegalArgumentException | VirtException e) {
            throw new ShellError("failed to get network port '" + port + "'");
        }
    }
}
