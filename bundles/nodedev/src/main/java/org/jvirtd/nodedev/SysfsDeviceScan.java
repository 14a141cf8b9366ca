package org.jvirtd.nodedev;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.jvirtd.model.nodedev.DeviceCapability;
import org.jvirtd.model.nodedev.NetCapability;
import org.jvirtd.model.nodedev.NodeDeviceDef;
import org.jvirtd.model.nodedev.PciAddress;
import org.jvirtd.model.nodedev.PciCapability;
import org.jvirtd.model.nodedev.StorageCapability;
import org.jvirtd.model.nodedev.SystemCapability;

/**
 * Enumerates the host's devices from sysfs as libvirt's udev node device backend sees them: every device
 * directory under {@code devices/} whose uevent marks it as a PCI function, network interface or disk, named
 * like libvirt names them ({@code <subsystem>_<sysname>[_<mac>]}, non-alphanumerics as '_'), each with the
 * nearest enumerated ancestor as parent, or "computer", the host itself.
 */
final class SysfsDeviceScan {
    static final String COMPUTER = "computer";

    private final Path sys;
    private final PciIds pciIds;
    private final Function<String, List<String>> offloadFeatures;

    /**
     * @param sys the sysfs mount ({@code /sys}, or a copy of its layout)
     * @param pciIds the pci.ids database for vendor and product names
     * @param offloadFeatures an interface's offload features by libvirt's names
     */
    SysfsDeviceScan(Path sys, Path pciIds, Function<String, List<String>> offloadFeatures) {
        this.sys = sys;
        this.pciIds = new PciIds(pciIds);
        this.offloadFeatures = offloadFeatures;
    }

    /** The devices present now, "computer" first. */
    List<NodeDeviceDef> devices() {
        Map<Path, NodeDeviceDef> found = new HashMap<>();
        for (Path device : deviceDirectories()) {
            NodeDeviceDef def = describe(device);
            if (def != null) {
                found.put(device, def);
            }
        }
        List<NodeDeviceDef> out = new ArrayList<>();
        out.add(computer());
        for (Map.Entry<Path, NodeDeviceDef> entry : found.entrySet()) {
            NodeDeviceDef def = entry.getValue();
            out.add(new NodeDeviceDef(def.name(), def.sysfsPath(), def.devnode(), parentName(entry.getKey(), found),
                def.driver(), def.capability()));
        }
        return out;
    }

    private List<Path> deviceDirectories() {
        List<Path> out = new ArrayList<>();
        Path root = sys.resolve("devices");
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (Files.isRegularFile(dir.resolve("uevent"))) {
                        out.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a sysfs that cannot be walked lists only the computer
        }
        return out;
    }

    private String parentName(Path device, Map<Path, NodeDeviceDef> found) {
        Path root = sys.resolve("devices");
        for (Path up = device.getParent(); up != null && up.startsWith(root) && !up.equals(root); up = up.getParent()) {
            NodeDeviceDef parent = found.get(up);
            if (parent != null) {
                return parent.name();
            }
        }
        return COMPUTER;
    }

    /** The sysfs path as the host shows it, also for a copied layout. */
    private String shownPath(Path device) {
        return "/sys/" + sys.relativize(device);
    }

    private NodeDeviceDef describe(Path device) {
        Map<String, String> uevent = SysfsFiles.uevent(device);
        String devtype = uevent.get("DEVTYPE");
        String sysname = device.getFileName().toString();
        String subsystem = SysfsFiles.linkName(device.resolve("subsystem"));
        DeviceCapability capability;
        String devnode = null;
        String suffix = null;
        if (devtype != null) {
            if (devtype.equals("disk")) {
                devnode = uevent.containsKey("DEVNAME") ? "/dev/" + uevent.get("DEVNAME") : null;
                capability = storage(device, devnode);
            } else if (devtype.equals("wlan")) {
                capability = net(device, uevent, "80211");
            } else {
                capability = null;
            }
        } else if (uevent.containsKey("PCI_CLASS")) {
            capability = pci(device, uevent);
        } else if (uevent.containsKey("INTERFACE")) {
            capability = net(device, uevent, "80203");
        } else {
            capability = null;
        }
        if (capability == null || subsystem == null) {
            return null;
        }
        if (capability instanceof NetCapability net) {
            suffix = net.address();
        }
        String name = libvirtName(subsystem + "_" + sysname + (suffix == null ? "" : "_" + suffix));
        return new NodeDeviceDef(name, shownPath(device), devnode, null,
            SysfsFiles.linkName(device.resolve("driver")), capability);
    }

    /** libvirt's device names keep letters and digits and turn everything else into '_'. */
    static String libvirtName(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (char c : raw.toCharArray()) {
            out.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
        }
        return out.toString();
    }

    private NodeDeviceDef computer() {
        Path dmi = sys.resolve("devices/virtual/dmi/id");
        UUID uuid = null;
        String text = SysfsFiles.nonEmpty(dmi.resolve("product_uuid"));
        if (text != null) {
            try {
                uuid = UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                uuid = null;
            }
        }
        SystemCapability system = new SystemCapability(SysfsFiles.nonEmpty(dmi.resolve("product_name")),
            SysfsFiles.nonEmpty(dmi.resolve("sys_vendor")), SysfsFiles.nonEmpty(dmi.resolve("product_version")),
            SysfsFiles.nonEmpty(dmi.resolve("product_serial")), uuid, SysfsFiles.nonEmpty(dmi.resolve("bios_vendor")),
            SysfsFiles.nonEmpty(dmi.resolve("bios_version")), SysfsFiles.nonEmpty(dmi.resolve("bios_date")));
        return new NodeDeviceDef(COMPUTER, null, null, null, null, system);
    }

    private PciCapability pci(Path function, Map<String, String> uevent) {
        String slotName = uevent.get("PCI_SLOT_NAME");
        if (slotName == null) {
            return null;
        }
        PciAddress address;
        try {
            address = PciAddress.parse(slotName);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int vendor = (int) SysfsFiles.readLong(function.resolve("vendor"), 0);
        int product = (int) SysfsFiles.readLong(function.resolve("device"), 0);
        List<PciAddress> virtualFunctions = new ArrayList<>();
        for (int i = 0; ; i++) {
            PciAddress vf = linkedAddress(function.resolve("virtfn" + i));
            if (vf == null) {
                break;
            }
            virtualFunctions.add(vf);
        }
        Integer group = null;
        List<PciAddress> groupDevices = new ArrayList<>();
        String groupName = SysfsFiles.linkName(function.resolve("iommu_group"));
        if (groupName != null) {
            group = Integer.valueOf(groupName);
            try (var members = Files.list(sys.resolve("kernel/iommu_groups").resolve(groupName).resolve("devices"))) {
                members.map(p -> PciAddress.parse(p.getFileName().toString())).sorted(SysfsDeviceScan::byAddress)
                    .forEach(groupDevices::add);
            } catch (IOException | RuntimeException e) {
                groupDevices.clear();
            }
        }
        PciExpressProbe.Facts pcie = PciExpressProbe.probe(function);
        return new PciCapability((int) SysfsFiles.readLong(function.resolve("class"), 0), address, product,
            pciIds.device(vendor, product), vendor, pciIds.vendor(vendor), linkedAddress(function.resolve("physfn")),
            virtualFunctions, (int) SysfsFiles.readLong(function.resolve("sriov_totalvfs"), 0), group, groupDevices,
            (int) SysfsFiles.readLong(function.resolve("numa_node"), -1), pcie.pcie(), pcie.cap(), pcie.status());
    }

    private static int byAddress(PciAddress a, PciAddress b) {
        return Long.compare(((long) a.domain() << 24) | a.bus() << 16 | a.slot() << 8 | a.function(),
            ((long) b.domain() << 24) | b.bus() << 16 | b.slot() << 8 | b.function());
    }

    private static PciAddress linkedAddress(Path link) {
        String target = SysfsFiles.linkName(link);
        try {
            return target == null ? null : PciAddress.parse(target);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private NetCapability net(Path device, Map<String, String> uevent, String subtype) {
        String state = SysfsFiles.nonEmpty(device.resolve("operstate"));
        Long speed = null;
        if ("up".equals(state)) {
            String text = SysfsFiles.read(device.resolve("speed"));
            if (text != null) {
                try {
                    speed = Long.parseLong(text) & 0xffffffffL;
                } catch (NumberFormatException e) {
                    speed = null;
                }
            }
        }
        String ifname = uevent.getOrDefault("INTERFACE", device.getFileName().toString());
        return new NetCapability(ifname, SysfsFiles.nonEmpty(device.resolve("address")), speed, state,
            offloadFeatures.apply(ifname), subtype);
    }

    /**
     * A disk. Without udev's ID_TYPE, libvirt guesses the drive type only for virtio disks ({@code /dev/vd*});
     * any other disk (loop, zram, ...) is not listed.
     */
    private static StorageCapability storage(Path disk, String devnode) {
        if (devnode == null || !devnode.startsWith("/dev/vd")) {
            return null;
        }
        long blocks = SysfsFiles.readLong(disk.resolve("size"), 0);
        long blockSize = SysfsFiles.readLong(disk.resolve("queue/logical_block_size"), 0);
        return new StorageCapability(devnode, null, "disk", SysfsFiles.nonEmpty(disk.resolve("device/model")),
            SysfsFiles.nonEmpty(disk.resolve("device/vendor")), null, blocks * blockSize, blockSize, blocks);
    }
}
