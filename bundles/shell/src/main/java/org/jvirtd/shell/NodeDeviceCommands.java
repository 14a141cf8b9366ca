package org.jvirtd.shell;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.nodedev.NodeDeviceCapability;
import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.jvirtd.api.nodedev.NodeDeviceFlags;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's node device commands in the Gogo scope {@code virt} ({@code nodedev-list} with {@code --tree} and
 * {@code --cap}, {@code nodedev-dumpxml}, {@code nodedev-info}, {@code nodedev-detach}, {@code nodedev-reattach},
 * {@code nodedev-reset}) and {@code nodedev-event}, with virsh's output; present while the nodedev bundle is.
 */
@Component(service = NodeDeviceCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=nodedev_list", "osgi.command.function=nodedev_dumpxml",
    "osgi.command.function=nodedev_info", "osgi.command.function=nodedev_event",
    "osgi.command.function=nodedev_detach", "osgi.command.function=nodedev_reattach",
    "osgi.command.function=nodedev_reset"})
public final class NodeDeviceCommands {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ");
    /** virsh's words for virNodeDeviceEventLifecycleType. */
    private static final String[] LIFECYCLE_WORDS = {"Created", "Deleted", "Defined", "Undefined"};

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

    @Descriptor("Node Device Events: wait for a device to appear or go away (or keep printing with --loop)")
    public void nodedev_event(CommandSession session,
                              @Descriptor("filter by node device name")
                              @Parameter(names = "--device", absentValue = "") String device,
                              @Descriptor("which event type to wait for: lifecycle or update")
                              @Parameter(names = "--event", absentValue = "lifecycle") String event,
                              @Descriptor("loop until timeout or interrupt, rather than one-shot")
                              @Parameter(names = "--loop", presentValue = "true", absentValue = "false") boolean loop,
                              @Descriptor("timeout seconds (0: no limit)")
                              @Parameter(names = "--timeout", absentValue = "0") int timeout,
                              @Descriptor("show timestamp for each printed event")
                              @Parameter(names = "--timestamp", presentValue = "true", absentValue = "false")
                              boolean timestamp) {
        Shell.run(session, null, () -> {
            NodeDeviceEvent.Type update = NodeDeviceEvent.Type.UPDATED;
            if (!event.equals("lifecycle") && !event.equals("update")) {
                throw new ShellError("unknown event type " + event);
            }
            String wanted = device.isEmpty() ? null : devices.lookupByName(device);
            LinkedBlockingQueue<NodeDeviceEvent> queue = new LinkedBlockingQueue<>();
            int count = 0;
            try (AutoCloseable subscription = devices.subscribe(queue::add)) {
                long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : Long.MAX_VALUE;
                while (loop || count == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        System.out.println("event loop timed out");
                        break;
                    }
                    NodeDeviceEvent seen = queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)),
                        TimeUnit.NANOSECONDS);
                    if (seen == null || (wanted != null && !wanted.equals(seen.device()))
                        || (seen.type() == update) != event.equals("update")) {
                        continue;
                    }
                    String prefix = timestamp ? OffsetDateTime.now().format(STAMP) + ": " : "";
                    System.out.println(prefix + (seen.type() == update
                        ? "event 'update' for node device " + seen.device()
                        : "event 'lifecycle' for node device " + seen.device() + ": "
                            + LIFECYCLE_WORDS[seen.type().number()]));
                    System.out.flush();
                    count++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (VirtException e) {
                throw e;
            } catch (Exception e) {
                throw new ShellError(e.getMessage());
            }
            System.out.println("events received: " + count);
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
