package org.jvirtd.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's network commands in the Gogo scope {@code virt}, with virsh's names, options and output
 * ({@code net_list} is also {@code net-list}, see {@link HyphenatedNames}); immediate, so the hyphenated
 * names exist before the first command.
 */
@Component(service = NetworkCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=net_list", "osgi.command.function=net_define", "osgi.command.function=net_undefine",
    "osgi.command.function=net_start", "osgi.command.function=net_destroy", "osgi.command.function=net_autostart",
    "osgi.command.function=net_dumpxml", "osgi.command.function=net_info", "osgi.command.function=net_dhcp_leases",
    "osgi.command.function=net_update"})
public final class NetworkCommands {
    private final Networks networks;
    private final HyphenatedNames aliases;

    @Activate
    public NetworkCommands(@Reference Networks networks, BundleContext context) {
        this.networks = networks;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("list networks (active ones, or all with --all)")
    public void net_list(CommandSession session,
                         @Descriptor("list inactive and active networks")
                         @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                         @Descriptor("list inactive networks only")
                         @Parameter(names = "--inactive", presentValue = "true", absentValue = "false") boolean inactive) {
        Shell.run(session, null, () -> {
            int flags = all ? 0 : inactive ? NetworkFlags.LIST_INACTIVE : NetworkFlags.LIST_ACTIVE;
            Table table = new Table("Name", "State", "Autostart", "Persistent");
            networks.listAll(flags).stream().sorted(Comparator.comparing(NetworkRef::name)).forEach(n -> table.row(
                n.name(), networks.isActive(n) ? "active" : "inactive", yesNo(networks.autostart(n)),
                yesNo(networks.isPersistent(n))));
            System.out.print(table.render());
        });
    }

    @Descriptor("define (but don't start) a network from an XML file")
    public void net_define(CommandSession session, @Descriptor("file containing an XML network description") String file) {
        Shell.run(session, "Failed to define network from " + file, () -> {
            NetworkRef n = networks.define(readFile(file), 0);
            System.out.println("Network " + n.name() + " defined from " + file);
        });
    }

    @Descriptor("undefine a persistent network")
    public void net_undefine(CommandSession session, @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, "Failed to undefine network %s", n -> {
            networks.undefine(n);
            System.out.println("Network " + n.name() + " has been undefined");
        });
    }

    @Descriptor("start a (previously defined) inactive network")
    public void net_start(CommandSession session, @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, "Failed to start network %s", n -> {
            networks.create(n);
            System.out.println("Network " + n.name() + " started");
        });
    }

    @Descriptor("destroy (stop) a network")
    public void net_destroy(CommandSession session, @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, "Failed to destroy network %s", n -> {
            networks.destroy(n);
            System.out.println("Network " + n.name() + " destroyed");
        });
    }

    @Descriptor("autostart a network (or stop autostarting it with --disable)")
    public void net_autostart(CommandSession session,
                              @Descriptor("disable autostarting")
                              @Parameter(names = "--disable", presentValue = "true", absentValue = "false")
                              boolean disable,
                              @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, disable ? "failed to unmark network %s as autostarted"
            : "failed to mark network %s as autostarted", n -> {
                networks.setAutostart(n, !disable);
                System.out.println("Network " + n.name() + (disable ? " unmarked" : " marked") + " as autostarted");
            });
    }

    @Descriptor("network information in XML")
    public void net_dumpxml(CommandSession session,
                            @Descriptor("show the persistent (inactive) definition")
                            @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                            boolean inactive,
                            @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, null,
            n -> System.out.print(networks.xml(n, inactive ? NetworkFlags.XML_INACTIVE : 0)));
    }

    @Descriptor("network information")
    public void net_info(CommandSession session, @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, null, n -> {
            StringBuilder out = new StringBuilder();
            line(out, "Name:", n.name());
            line(out, "UUID:", n.uuid().toString());
            line(out, "Active:", yesNo(networks.isActive(n)));
            line(out, "Persistent:", yesNo(networks.isPersistent(n)));
            line(out, "Autostart:", yesNo(networks.autostart(n)));
            try {
                line(out, "Bridge:", networks.bridgeName(n));
            } catch (VirtException noBridge) {
                // virsh leaves the line out for networks without a bridge
            }
            System.out.print(out);
        });
    }

    @Descriptor("print lease info for a given network")
    public void net_dhcp_leases(CommandSession session,
                                @Descriptor("MAC address")
                                @Parameter(names = "--mac", absentValue = "") String mac,
                                @Descriptor("network name or uuid") String network) {
        withNetwork(session, network, null, n -> {
            Table table = new Table("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
                "Client ID or DUID");
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
            for (DhcpLease l : networks.leases(n, mac.isEmpty() ? null : mac, 0)) {
                table.row(time.format(Instant.ofEpochSecond(l.expiryTime())), l.mac() == null ? "-" : l.mac(),
                    l.type() == 1 ? "ipv6" : "ipv4", l.ipAddress() + "/" + l.prefix(),
                    l.hostname() == null ? "-" : l.hostname(), l.clientId() == null ? "-" : l.clientId());
            }
            System.out.print(table.render());
        });
    }

    @Descriptor("update parts of an existing network's configuration")
    public void net_update(CommandSession session,
                           @Descriptor("affect the persistent configuration")
                           @Parameter(names = "--config", presentValue = "true", absentValue = "false") boolean config,
                           @Descriptor("affect the running network")
                           @Parameter(names = "--live", presentValue = "true", absentValue = "false") boolean live,
                           @Descriptor("which <ip> element to change (0 is the first)")
                           @Parameter(names = "--parent-index", absentValue = "-1") int parentIndex,
                           @Descriptor("network name or uuid") String network,
                           @Descriptor("add (add-last), add-first, add-last, delete or modify") String command,
                           @Descriptor("section of the XML to update: ip-dhcp-host") String section,
                           @Descriptor("the XML element, or a file containing it") String xml) {
        withNetwork(session, network, "Failed to update network %s", n -> {
            int code = switch (command) {
                case "add", "add-last" -> NetworkFlags.UPDATE_ADD_LAST;
                case "add-first" -> NetworkFlags.UPDATE_ADD_FIRST;
                case "delete" -> NetworkFlags.UPDATE_DELETE;
                case "modify" -> NetworkFlags.UPDATE_MODIFY;
                default -> throw new ShellError("command '" + command + "' doesn't match any known command");
            };
            if (!section.equals("ip-dhcp-host")) {
                throw new ShellError("section '" + section + "' is not supported");
            }
            String element = xml.strip().startsWith("<") ? xml : readFile(xml);
            int flags = (config ? NetworkFlags.UPDATE_AFFECT_CONFIG : 0) | (live ? NetworkFlags.UPDATE_AFFECT_LIVE : 0);
            networks.update(n, code, NetworkFlags.SECTION_IP_DHCP_HOST, parentIndex, element, flags);
            boolean active = networks.isActive(n);
            String what = config ? (live ? "persistent config and live state" : "persistent config")
                : live || active ? "live state" : "persistent config";
            System.out.println("Updated network " + n.name() + " " + what);
        });
    }

    /** Looks a network up the way virsh does (uuid, then name) and runs an action on it. */
    private void withNetwork(CommandSession session, String key, String failure, NetworkAction action) {
        Shell.run(session, null, () -> {
            NetworkRef n = lookup(key);
            try {
                action.run(n);
            } catch (VirtException | ShellError e) {
                throw failure == null ? e : new ShellError(String.format(failure, n.name()), e.getMessage());
            }
        });
    }

    private NetworkRef lookup(String key) {
        return lookup(networks, key);
    }

    /** virsh's network lookup: by uuid when the key looks like one, else by name. */
    static NetworkRef lookup(Networks networks, String key) {
        try {
            if (key.length() == 36) {
                try {
                    return networks.lookupByUuid(UUID.fromString(key));
                } catch (IllegalArgumentException | VirtException notAUuid) {
                    // fall through to the name
                }
            }
            return networks.lookupByName(key);
        } catch (VirtException e) {
            throw new ShellError("failed to get network '" + key + "'", e.getMessage());
        }
    }

    static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-15s %s%n", label, value));
    }

    @FunctionalInterface
    interface NetworkAction {
        void run(NetworkRef network);
    }
}
