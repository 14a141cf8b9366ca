package org.jvirtd.nodedev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.nodedev.NodeDeviceCapability;
import org.jvirtd.model.nodedev.NodeDeviceDef;

/**
 * nodedev-detach, -reattach and -reset as libvirtd 9.0 answers them, decided from sysfs: VFIO assignment needs
 * {@code /dev/vfio/vfio} and IOMMU groups, only PCI devices qualify, a device not bound to a stub driver has
 * nothing to give back, and a reset needs a function level, power management or secondary bus reset, read from
 * the device's config space. jvirtd binds nothing to vfio-pci and resets no device yet: where libvirtd would
 * change the host's devices it answers "not supported", naming what.
 */
final class PciAssignment {
    private static final List<String> STUB_DRIVERS = List.of("vfio-pci", "pci-stub");
    private static final int CAP_PM = 0x01;
    private static final int CAP_EXP = 0x10;
    private static final int CAP_AF = 0x13;

    private final Path sys;
    private final Path vfioDevice;

    PciAssignment(Path sys, Path vfioDevice) {
        this.sys = sys;
        this.vfioDevice = vfioDevice;
    }

    void detach(NodeDeviceDef device, String driverName, int flags) {
        VirtErrors.checkFlags(ErrorDomain.QEMU, flags, 0, "qemuNodeDeviceDetachFlags");
        String driver = driverName == null || driverName.isEmpty() ? "vfio" : driverName;
        if (driver.equals("vfio")) {
            if (!vfioAvailable()) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                    "VFIO device assignment is currently not supported on this system");
            }
        } else if (driver.equals("kvm")) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                "KVM device assignment is no longer supported on this system");
        } else {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "unknown driver name '" + driver + "'");
        }
        requirePci(device);
        throw VirtErrors.noSupport("binding PCI device " + address(device) + " to vfio-pci");
    }

    void reattach(NodeDeviceDef device) {
        requirePci(device);
        if (STUB_DRIVERS.contains(boundDriver(device))) {
            throw VirtErrors.noSupport("giving PCI device " + address(device) + " back from "
                + boundDriver(device));
        }
        // bound to its host driver already (or to none): libvirt has nothing to do and reports success
    }

    void reset(NodeDeviceDef device) {
        requirePci(device);
        if ("vfio-pci".equals(boundDriver(device))) {
            return; // QEMU resets a VFIO device itself when a guest starts and stops, libvirt skips it
        }
        byte[] config = config(device);
        if (hasFunctionLevelReset(config) || hasPowerManagementReset(config) || hasParentBridge(device)) {
            throw VirtErrors.noSupport("resetting PCI device " + address(device));
        }
        throw VirtErrors.internal(ErrorDomain.NODEDEV, "Unable to reset PCI device " + address(device)
            + ": no FLR, PM reset or bus reset available");
    }

    /** libvirt's test for VFIO: the container device and at least one IOMMU group. */
    private boolean vfioAvailable() {
        Path groups = sys.resolve("kernel/iommu_groups");
        if (!Files.exists(vfioDevice) || !Files.isDirectory(groups)) {
            return false;
        }
        try (Stream<Path> list = Files.list(groups)) {
            return list.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static void requirePci(NodeDeviceDef device) {
        if (device.capability().type() != NodeDeviceCapability.PCI) {
            throw VirtErrors.invalidArg(ErrorDomain.NODEDEV, "device " + device.name() + " is not a PCI device");
        }
    }

    /** The device's PCI address, the last part of its sysfs path (0000:00:01.0). */
    private static String address(NodeDeviceDef device) {
        return Path.of(device.sysfsPath()).getFileName().toString();
    }

    private Path sysfs(NodeDeviceDef device) {
        return sys.resolve("bus/pci/devices").resolve(address(device));
    }

    private String boundDriver(NodeDeviceDef device) {
        try {
            return Files.readSymbolicLink(sysfs(device).resolve("driver")).getFileName().toString();
        } catch (IOException unbound) {
            return null;
        }
    }

    private byte[] config(NodeDeviceDef device) {
        try {
            return Files.readAllBytes(sysfs(device).resolve("config"));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NODEDEV, "Failed to open config space file '"
                + sysfs(device).resolve("config") + "': " + e.getMessage(), e);
        }
    }

    /** The offset of a capability in the config space's list, -1 when absent. */
    private static int capability(byte[] config, int id) {
        if (config.length < 0x40 || (u8(config, 0x06) & 0x10) == 0) {
            return -1;
        }
        int pos = u8(config, 0x34) & ~3;
        for (int hops = 0; pos >= 0x40 && pos + 1 < config.length && hops < 48; hops++) {
            if (u8(config, pos) == id) {
                return pos;
            }
            pos = u8(config, pos + 1) & ~3;
        }
        return -1;
    }

    /** FLR: the PCI Express device capability's bit 28, or the Advanced Features capability's TP and FLR bits. */
    private static boolean hasFunctionLevelReset(byte[] config) {
        int exp = capability(config, CAP_EXP);
        if (exp >= 0 && exp + 8 <= config.length && (u32(config, exp + 4) & (1 << 28)) != 0) {
            return true;
        }
        int af = capability(config, CAP_AF);
        return af >= 0 && af + 4 <= config.length && (u8(config, af + 3) & 0x03) == 0x03;
    }

    /** A PM reset: the power management capability without No_Soft_Reset in its control register. */
    private static boolean hasPowerManagementReset(byte[] config) {
        int pm = capability(config, CAP_PM);
        return pm >= 0 && pm + 6 <= config.length && (u16(config, pm + 4) & 0x08) == 0;
    }

    /** A secondary bus reset needs a bridge above the device; devices on a root bus have none. */
    private boolean hasParentBridge(NodeDeviceDef device) {
        try {
            Path parent = sysfs(device).toRealPath().getParent();
            return Files.exists(parent.resolve("config"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    private static int u16(byte[] b, int at) {
        return u8(b, at) | u8(b, at + 1) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffffffffL;
    }
}
