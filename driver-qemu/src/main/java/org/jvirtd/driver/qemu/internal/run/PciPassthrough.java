package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Whether this host can hand PCI (and mediated) devices to a guest, checked before a start as libvirt checks
 * it: VFIO's control device and at least one IOMMU group.
 */
final class PciPassthrough {
    private static final Path VFIO = Path.of("/dev/vfio/vfio");
    private static final Path IOMMU_GROUPS = Path.of("/sys/kernel/iommu_groups");

    private PciPassthrough() {
    }

    static void requireFor(GuestDef def) {
        boolean vfio = def.devices().hostdevs().stream().anyMatch(h -> "pci".equals(h.type()) || "mdev".equals(h.type()));
        if (vfio && !supported(VFIO, IOMMU_GROUPS)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "host doesn't support passthrough of host PCI devices");
        }
    }

    static boolean supported(Path vfio, Path iommuGroups) {
        if (!Files.exists(vfio)) {
            return false;
        }
        try (Stream<Path> groups = Files.list(iommuGroups)) {
            return groups.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }
}
