package org.jvirtd.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.iface.InterfaceFlags;
import org.jvirtd.api.iface.InterfaceRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's read-only host interface commands in the Gogo scope {@code virt} ({@code iface-list},
 * {@code iface-dumpxml}, {@code iface-mac}, {@code iface-name}), with virsh's output; present while the
 * interface bundle is.
 */
@Component(service = InterfaceCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=iface_list", "osgi.command.function=iface_dumpxml",
    "osgi.command.function=iface_mac", "osgi.command.function=iface_name"})
public final class InterfaceCommands {
    private final HostInterfaces interfaces;
    private final HyphenatedNames aliases;

    @Activate
    public InterfaceCommands(@Reference HostInterfaces interfaces, BundleContext context) {
        this.interfaces = interfaces;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("list physical host interfaces (active ones unless --inactive or --all)")
    public void iface_list(CommandSession session,
                           @Descriptor("list inactive interfaces")
                           @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                           boolean inactive,
                           @Descriptor("list inactive & active interfaces")
                           @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all) {
        Shell.run(session, null, () -> {
            if (inactive && all) {
                throw new ShellError("Options --all and --inactive are mutually exclusive");
            }
            int flags = all ? 0 : inactive ? InterfaceFlags.LIST_INACTIVE : InterfaceFlags.LIST_ACTIVE;
            Table table = new Table("Name", "State", "MAC Address");
            for (InterfaceRef iface : interfaces.listAll(flags)) {
                table.row(iface.name(), interfaces.isActive(iface) ? "active" : "inactive", iface.mac());
            }
            System.out.print(table.render());
            System.out.println();
        });
    }

    @Descriptor("interface information in XML")
    public void iface_dumpxml(CommandSession session,
                              @Descriptor("show inactive defined XML")
                              @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                              boolean inactive,
                              @Descriptor("interface name or MAC address") String iface) {
        Shell.run(session, null, () -> System.out.println(interfaces.xml(lookup(iface),
            inactive ? InterfaceFlags.XML_INACTIVE : 0)));
    }

    @Descriptor("convert an interface name to interface MAC address")
    public void iface_mac(CommandSession session, @Descriptor("interface name") String iface) {
        Shell.run(session, null, () -> System.out.print(find(iface, false).mac() + "\n\n"));
    }

    @Descriptor("convert an interface MAC address to interface name")
    public void iface_name(CommandSession session, @Descriptor("interface MAC") String mac) {
        Shell.run(session, null, () -> System.out.print(find(mac, true).name() + "\n\n"));
    }

    /** virsh looks an interface up by name, or by MAC when the argument looks like one. */
    private InterfaceRef lookup(String key) {
        return find(key, key.chars().filter(c -> c == ':').count() == 5);
    }

    private InterfaceRef find(String key, boolean byMac) {
        try {
            return byMac ? interfaces.lookupByMac(key) : interfaces.lookupByName(key);
        } catch (VirtException e) {
            throw new ShellError("failed to get interface '" + key + "'", e.getMessage());
        }
    }
}
