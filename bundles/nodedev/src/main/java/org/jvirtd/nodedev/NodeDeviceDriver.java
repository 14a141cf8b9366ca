package org.jvirtd.nodedev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.nodedev.NodeDeviceCapability;
import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.jvirtd.api.nodedev.NodeDeviceFlags;
import org.jvirtd.model.nodedev.NodeDeviceDef;
import org.jvirtd.model.nodedev.NodeDeviceXml;
import org.jvirtd.platform.net.OffloadFeatures;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The node device driver (libvirt's virtnodedevd, read-only): the host's devices read from sysfs on each
 * call, so a listing is always the host's present state, and nothing is kept that a bundle update could lose.
 * Every device is active; only "computer", the host, is persistent and autostarted, as libvirt 9.0 reports.
 * While a client listens for device events, the names are read again every two seconds (NodeDeviceWatch).
 */
@Component(service = NodeDevices.class, immediate = true)
public final class NodeDeviceDriver implements NodeDevices {
    /** How often the device names are read again while someone listens for their events. */
    static final long WATCH_PERIOD_MILLIS = 2000;

    private final SysfsDeviceScan scan;
    private final NodeDeviceWatch watch;
    private final PciAssignment assignment;

    /** The host's devices: /sys, Debian's pci.ids, offload features by ethtool in the daemon's namespace. */
    @Activate
    public NodeDeviceDriver() {
        this(Path.of("/sys"), Path.of("/usr/share/misc/pci.ids"), OffloadFeatures::of);
    }

    /** A driver over another sysfs layout and pci.ids database, with the features an interface has. */
    public NodeDeviceDriver(Path sys, Path pciIds, Function<String, List<String>> offloadFeatures) {
        this(sys, pciIds, offloadFeatures, WATCH_PERIOD_MILLIS);
    }

    /** As above, with the period in which device events are looked for. */
    public NodeDeviceDriver(Path sys, Path pciIds, Function<String, List<String>> offloadFeatures,
                            long watchMillis) {
        this.scan = new SysfsDeviceScan(sys, pciIds, offloadFeatures);
        this.assignment = new PciAssignment(sys, sys.resolveSibling("dev/vfio/vfio"));
        this.watch = new NodeDeviceWatch(this::names, watchMillis);
    }

    private Set<String> names() {
        Set<String> names = new HashSet<>();
        scan.devices().forEach(device -> names.add(device.name()));
        return names;
    }

    @Deactivate
    void deactivate() {
        watch.close();
    }

    @Override
    public AutoCloseable subscribe(Consumer<NodeDeviceEvent> listener) {
        return watch.subscribe(listener);
    }

    private List<NodeDeviceDef> sorted() {
        List<NodeDeviceDef> devices = new ArrayList<>(scan.devices());
        devices.sort((a, b) -> a.name().compareTo(b.name()));
        return devices;
    }

    @Override
    public List<String> listAll(int flags) {
        VirtErrors.checkFlags(ErrorDomain.NODEDEV, flags & 0xffffffffL, NodeDeviceFlags.LIST_ALL & 0xffffffffL,
            "nodeConnectListAllNodeDevices");
        int caps = flags & NodeDeviceFlags.LIST_CAPS_ALL;
        boolean inactiveOnly = (flags & NodeDeviceFlags.LIST_INACTIVE) != 0 && (flags & NodeDeviceFlags.LIST_ACTIVE) == 0;
        List<String> out = new ArrayList<>();
        if (inactiveOnly) {
            return out;
        }
        for (NodeDeviceDef device : sorted()) {
            if (caps == 0 || (caps & device.capability().type().listFlag()) != 0) {
                out.add(device.name());
            }
        }
        return out;
    }

    @Override
    public List<String> list(String capability, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NODEDEV, flags, 0, "nodeListDevices");
        List<String> out = new ArrayList<>();
        for (NodeDeviceDef device : sorted()) {
            if (capability == null || device.capability().type().xmlName().equals(capability)) {
                out.add(device.name());
            }
        }
        return out;
    }

    private NodeDeviceDef find(String name) {
        for (NodeDeviceDef device : scan.devices()) {
            if (device.name().equals(name)) {
                return device;
            }
        }
        throw new VirtException(ErrorCode.NO_NODE_DEVICE, ErrorDomain.NODEDEV,
            "no node device with matching name '" + name + "'");
    }

    @Override
    public String lookupByName(String name) {
        return find(name).name();
    }

    @Override
    public String xml(String name, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NODEDEV, flags, 0, "nodeDeviceGetXMLDesc");
        return NodeDeviceXml.format(find(name));
    }

    @Override
    public String parent(String name) {
        return find(name).parent();
    }

    @Override
    public List<String> capabilities(String name) {
        NodeDeviceCapability type = find(name).capability().type();
        return List.of(type.xmlName());
    }

    @Override
    public boolean isActive(String name) {
        find(name);
        return true;
    }

    @Override
    public boolean isPersistent(String name) {
        return find(name).name().equals(SysfsDeviceScan.COMPUTER);
    }

    @Override
    public boolean autostart(String name) {
        return isPersistent(name);
    }

    @Override
    public void detach(String name, String driverName, int flags) {
        assignment.detach(find(name), driverName, flags);
    }

    @Override
    public void reattach(String name) {
        assignment.reattach(find(name));
    }

    @Override
    public void reset(String name) {
        assignment.reset(find(name));
    }
}
