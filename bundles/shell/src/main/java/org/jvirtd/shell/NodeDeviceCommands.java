package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.nodedev.NodeDeviceCapability;
import org.jvirtd.api.nodedev.NodeDeviceFlags;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's node device commands in the Gogo scope {@code virt} ({@code nodedev-list} with {@code --tree} and
 * {@code --cap}, {@code nodedev-dumpxml}, {@code nodedev-info}, {@code nodedev-detach}, {@code nodedev-reattach},
 * {@code nodedev-reset}), with virsh's output; present while the nodedev bundle is.
 */
@Component(service = NodeDeviceCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=nodedev_list", "osgi.command.function=nodedev_dumpxml",
    "osgi.command.function=nodedev_info", "osgi.command.function=nodedev_detach",
    "osgi.command.function=nodedev_reattach", "osgi.command.function=nodedev_reset"})
public final class NodeDeviceCommands {
    private final NodeDevices devices;
    private final HyphenatedNames aliases;

    @Activate
    public NodeDeviceCommands(@Reference NodeDevices devices, BundleContext context) {
        this.devices = devices;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("enumerate devices on this host")
    public void nodedev_list(CommandSession session,
                             @Descriptor("list devices in a tree")
                             @Parameter(names = "--tree", presentValue = "true", absentValue = "false")
                             boolean tree,
                             @Descriptor("capability names, separated by comma")
                             @Parameter(names = "--cap", absentValue = "") String cap,
                             @Descriptor("list inactive devices")
                             @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                             boolean inactive,
                             @Descriptor("list inactive & active devices")
                             @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all) {
        Shell.run(session, null, () -> {
            if (tree && (!cap.isEmpty() || inactive)) {
                throw new ShellError("Option --tree is incompatible with --cap and --inactive");
            }
            if (all && inactive) {
                throw new ShellError("Options --all and --inactive are mutually exclusive");
            }
            int state = all ? 0 : inactive ? NodeDeviceFlags.LIST_INACTIVE : NodeDeviceFlags.LIST_ACTIVE;
            List<String> names = devices.listAll(capabilityFlags(cap) | state);
            if (tree) {
                List<DeviceTree.Node> nodes = new ArrayList<>();
                for (String name : names) {
                    nodes.add(new DeviceTree.Node(name, devices.parent(name)));
                }
                System.out.print(DeviceTree.render(nodes));
            } else {
                names.forEach(System.out::println);
                System.out.println();
            }
        });
    }

    /** virsh's --cap list as VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bits. */
    private static int capabilityFlags(String cap) {
        int flags = 0;
        if (cap.isEmpty()) {
            return flags;
        }
        for (String name : cap.split(",")) {
            NodeDeviceCapability type = NodeDeviceCapability.fromXml(name.strip());
            if (type == null) {
                throw new ShellError("Invalid capability type");
            }
            flags |= type.listFlag();
        }
        return flags;
    }

    @Descriptor("node device details in XML")
    public void nodedev_dumpxml(CommandSession session, @Descriptor("device name") String device) {
        Shell.run(session, null, () -> System.out.println(devices.xml(lookup(device), 0)));
    }

    @Descriptor("node device information")
    public void nodedev_info(CommandSession session, @Descriptor("device name") String device) {
        Shell.run(session, null, () -> {
            String name = lookup(device);
            String parent = devices.parent(name);
            System.out.printf("%-15s %s%n", "Name:", name);
            System.out.printf("%-15s %s%n", "Parent:", parent == null ? "" : parent);
            System.out.printf("%-15s %s%n", "Active:", devices.isActive(name) ? "yes" : "no");
            System.out.printf("%-15s %s%n", "Persistent:", devices.isPersistent(name) ? "yes" : "no");
            System.out.printf("%-15s %s%n", "Autostart:", devices.autostart(name) ? "yes" : "no");
            System.out.println();
        });
    }

    @Descriptor("detach node device from its device driver")
    public void nodedev_detach(CommandSession session,
                               @Descriptor("pci device assignment backend driver (e.g. 'vfio' or 'xen')")
                               @Parameter(names = "--driver", absentValue = "") String driver,
                               @Descriptor("device name") String device) {
        Shell.run(session, "Failed to detach device " + device, () -> {
            devices.detach(lookup(device), driver.isEmpty() ? null : driver, 0);
            System.out.println("Device " + device + " detached");
            System.out.println();
        });
    }

    @Descriptor("reattach node device to its device driver")
    public void nodedev_reattach(CommandSession session, @Descriptor("device name") String device) {
        Shell.run(session, "Failed to re-attach device " + device, () -> {
            devices.reattach(lookup(device));
            System.out.println("Device " + device + " re-attached");
            System.out.println();
        });
    }

    @Descriptor("reset node device")
    public void nodedev_reset(CommandSession session, @Descriptor("device name") String device) {
        Shell.run(session, "Failed to reset device " + device, () -> {
            devices.reset(lookup(device));
            System.out.println("Device " + device + " reset");
            System.out.println();
        });
    }

    private String lookup(String device) {
        try {
            return devices.lookupByName(device);
        } catch (VirtException e) {
            throw new ShellError("Could not find matching device '" + device + "'", e.getMessage());
        }
    }
}
