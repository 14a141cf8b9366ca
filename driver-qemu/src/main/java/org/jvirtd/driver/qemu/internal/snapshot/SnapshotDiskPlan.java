package org.jvirtd.driver.qemu.internal.snapshot;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.model.snapshot.SnapshotDef;
import org.jvirtd.model.snapshot.SnapshotDisk;

/**
 * Which disks a snapshot takes and how, as libvirt aligns them: every disk of the domain gets an entry (named by
 * target, in the domain's order), the client's choice where it gave one, otherwise internal, or external for a
 * disk-only snapshot with the overlay named after the snapshot beside the disk's file ({@code disk.qcow2} ->
 * {@code disk.SNAP}); read-only disks and disks without a file are left out.
 */
public final class SnapshotDiskPlan {
    private SnapshotDiskPlan() {
    }

    public static List<SnapshotDisk> align(GuestDef guest, SnapshotDef snapshot, boolean diskOnly) {
        List<SnapshotDisk> out = new ArrayList<>();
        for (SnapshotDisk asked : snapshot.disks()) {
            if (guest.devices().disks().stream().noneMatch(d -> matches(d, asked.name()))) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                    "no disk named '" + asked.name() + "'");
            }
        }
        for (GuestDef.Disk disk : guest.devices().disks()) {
            SnapshotDisk asked = snapshot.disks().stream().filter(s -> matches(disk, s.name())).findFirst()
                .orElse(null);
            String how = asked != null && asked.snapshot() != null ? asked.snapshot()
                : disk.readonly() || disk.isCdrom() || disk.source() == null ? "no"
                : diskOnly || snapshot.isExternal() ? "external" : "internal";
            SnapshotDisk aligned = new SnapshotDisk(disk.target(), how, asked == null ? null : asked.type(),
                asked == null ? null : asked.file(), asked == null ? null : asked.driverType());
            if (aligned.isExternal()) {
                aligned = aligned.withOverlay(aligned.file() != null ? aligned.file()
                    : overlayName(disk.source(), snapshot.name()),
                    aligned.driverType() != null ? aligned.driverType() : "qcow2");
            }
            if (aligned.isInternal() && !"qcow2".equals(disk.format())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "internal snapshot for disk " + disk.target() + " unsupported for storage type "
                        + (disk.format() == null ? "raw" : disk.format()));
            }
            out.add(aligned);
        }
        boolean internal = out.stream().anyMatch(SnapshotDisk::isInternal);
        boolean external = "external".equals(snapshot.memory()) || out.stream().anyMatch(SnapshotDisk::isExternal);
        if (internal && external) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "mixing internal and external targets for a snapshot is not yet supported");
        }
        return out;
    }

    private static boolean matches(GuestDef.Disk disk, String name) {
        return name.equals(disk.target()) || name.equals(disk.source());
    }

    /** libvirt's default overlay: the disk's file with its extension replaced by the snapshot's name. */
    static String overlayName(String source, String snapshot) {
        int slash = source.lastIndexOf('/');
        int dot = source.lastIndexOf('.');
        String stem = dot > slash ? source.substring(0, dot) : source;
        return stem + "." + snapshot;
    }
}
