package org.jvirtd.driver.qemu.internal.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.qmp.AgentClient;
import org.jvirtd.driver.qemu.internal.run.GuestAgentChannel;
import org.jvirtd.driver.qemu.internal.run.MigrationStreams;
import org.jvirtd.driver.qemu.internal.run.QemuLauncher;
import org.jvirtd.driver.qemu.internal.run.QemuRun;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.snapshot.SnapshotDef;
import org.jvirtd.model.snapshot.SnapshotDisk;
import org.jvirtd.model.snapshot.SnapshotOverlays;
import org.jvirtd.model.snapshot.SnapshotXml;

/**
 * The QEMU side of snapshots, as libvirt 9.0 does it: internal snapshots of a running guest with HMP
 * savevm/loadvm/delvm (memory and every qcow2 disk), of a shut-off one with qemu-img snapshot; external disk-only
 * snapshots with new qcow2 overlays, switched to in one QMP transaction while the guest runs, optionally with the
 * memory saved to a file first, the guest's file systems frozen by its agent around it with QUIESCE; deleting an
 * external snapshot merges its overlays down.
 */
public final class QemuSnapshots {
    private static final System.Logger LOG = System.getLogger(QemuSnapshots.class.getName());
    /** savevm writes the guest's memory: give a 128 MiB TCG guest on a busy host ample time. */
    private static final Duration VM_STATE_TIMEOUT = Duration.ofMinutes(5);
    /** guest-fsfreeze-freeze syncs the guest's file systems first: allow for a slow guest. */
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(60);

    private QemuSnapshots() {
    }

    /** Takes the snapshot; {@code run} gives the domain's QEMU while it is active. Returns the completed XML. */
    public static String create(DomainHandle domain, boolean active, String snapshotXml, int flags,
                                Supplier<QemuRun> run) {
        SnapshotDef def = SnapshotXml.parse(snapshotXml).def();
        GuestDef guest = GuestXml.parse(domain.xml(), domain.id());
        boolean diskOnly = (flags & SnapshotFlags.Create.DISK_ONLY) != 0;
        List<SnapshotDisk> disks = SnapshotDiskPlan.align(guest, def, diskOnly);
        SnapshotDef planned = def.withDisks(disks);
        boolean reuse = (flags & SnapshotFlags.Create.REUSE_EXT) != 0;
        if (planned.isExternal()) {
            AgentClient agent = active && (flags & SnapshotFlags.Create.QUIESCE) != 0
                ? GuestAgentChannel.open(run.get(), guest) : null;
            if (agent != null) {
                agent.execute("guest-fsfreeze-freeze", null, AGENT_TIMEOUT);
            }
            try {
                prepareOverlays(guest, disks, reuse, active);
                switchDisks(domain, active, def, disks, flags, run, guest);
            } finally {
                if (agent != null) {
                    agent.execute("guest-fsfreeze-thaw", null, AGENT_TIMEOUT);
                }
            }
        } else if (active) {
            if (disks.stream().noneMatch(SnapshotDisk::isInternal)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "internal snapshot of a running VM must include the memory state");
            }
            hmp(run.get(), "savevm " + def.name());
        } else {
            for (SnapshotDisk disk : disks) {
                if (disk.isInternal()) {
                    QemuImg.snapshot("-c", def.name(), sourceOf(guest, disk));
                }
            }
        }
        return SnapshotXml.format(planned);
    }

    /** A running guest's disks onto the overlays just made (after its memory, for a snapshot with memory). */
    private static void switchDisks(DomainHandle domain, boolean active, SnapshotDef def, List<SnapshotDisk> disks,
                                    int flags, Supplier<QemuRun> run, GuestDef guest) {
        if (!active) {
            return;
        }
        if ("external".equals(def.memory())) {
            saveMemoryThenSwitch(domain, run.get(), guest, disks, def.memoryFile(), flags);
        } else {
            switchToOverlays(run.get(), guest, disks);
        }
        domain.setLiveXml(SnapshotOverlays.apply(domain.xml(), disks));
    }

    public static void revert(DomainHandle domain, boolean active, String snapshotXml, Supplier<QemuRun> run) {
        SnapshotDef def = SnapshotXml.parse(snapshotXml).def();
        if (active) {
            hmp(run.get(), "loadvm " + def.name());
            return;
        }
        GuestDef guest = GuestXml.parse(domain.xml(), -1);
        for (SnapshotDisk disk : def.disks()) {
            if (disk.isInternal()) {
                QemuImg.snapshot("-a", def.name(), sourceOf(guest, disk));
            }
        }
    }

    public static void delete(DomainHandle domain, boolean active, String snapshotXml, Supplier<QemuRun> run) {
        SnapshotDef def = SnapshotXml.parse(snapshotXml).def();
        if (def.isExternal()) {
            mergeOverlays(domain, active, def, run);
            return;
        }
        if (def.disks().stream().noneMatch(SnapshotDisk::isInternal)) {
            return;
        }
        if (active) {
            hmp(run.get(), "delvm " + def.name());
            return;
        }
        GuestDef guest = GuestXml.parse(domain.xml(), -1);
        for (SnapshotDisk disk : def.disks()) {
            if (disk.isInternal()) {
                try {
                    QemuImg.snapshot("-d", def.name(), sourceOf(guest, disk));
                } catch (VirtException e) {
                    // as libvirt: a disk that no longer holds the snapshot (it moved to an overlay) is skipped
                    LOG.log(System.Logger.Level.WARNING, "skipping snapshot deletion on " + disk.name() + ": "
                        + e.getMessage());
                }
            }
        }
    }

    /**
     * The memory of a running or paused guest into {@code file} as libvirt 9.0 writes it (a save image: header,
     * the domain XML, QEMU's migration stream), then the disks to their overlays: the guest is paused for both
     * (unless LIVE) so that memory and disks agree, and runs on afterwards unless HALT stops it next; the pause
     * and the resume are reported as QEMU makes them (suspended, then resumed "unpaused", as with libvirt).
     */
    private static void saveMemoryThenSwitch(DomainHandle domain, QemuRun run, GuestDef guest,
                                             List<SnapshotDisk> disks, String file, int flags) {
        boolean running = "running".equals(run.qmp().queryStatus());
        String migratable = DomainXml.format(DomainXml.parse(domain.xml()), -1,
            DomainXml.MIGRATABLE | DomainXml.SECURE);
        Path privateDir = Path.of(domain.runtime().getOrDefault(QemuLauncher.PRIVATE_DIR,
            domain.runDir().toString()));
        try {
            if (running && (flags & SnapshotFlags.Create.LIVE) == 0) {
                run.qmp().stop();
            }
            MigrationStreams.saveMemory(run, Path.of(file), migratable, running, privateDir);
            switchToOverlays(run, guest, disks);
            if (running && (flags & SnapshotFlags.Create.HALT) == 0) {
                run.qmp().cont();
            }
        } catch (VirtException e) {
            if (running) {
                try {
                    run.qmp().cont();
                } catch (VirtException again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    /**
     * Deleting an external snapshot as libvirt 9.0 does: each disk's overlay is merged into the image below it
     * (a block commit while the guest runs, qemu-img commit while it is shut off) and then removed; the memory
     * file stays.
     */
    private static void mergeOverlays(DomainHandle domain, boolean active, SnapshotDef def, Supplier<QemuRun> run) {
        for (SnapshotDisk disk : def.disks()) {
            if (!disk.isExternal()) {
                continue;
            }
            if (active) {
                run.get().blockJobs().mergeDown(domain, disk.name(), disk.file());
            } else {
                mergeOffline(GuestXml.parse(domain.xml(), -1), disk);
            }
            try {
                Files.deleteIfExists(Path.of(disk.file()));
            } catch (java.io.IOException e) {
                throw VirtErrors.system(ErrorDomain.QEMU, "failed to remove snapshot image '" + disk.file() + "'", e);
            }
        }
    }

    /** qemu-img commit of a shut-off disk's overlay; an image above it is pointed at the image below. */
    private static void mergeOffline(GuestDef guest, SnapshotDisk disk) {
        String above = null;
        String image = sourceOf(guest, disk);
        while (image != null && !image.equals(disk.file())) {
            above = image;
            QemuImg.Backing next = QemuImg.backing(image);
            image = next == null ? null : next.file();
        }
        QemuImg.Backing below = image == null ? null : QemuImg.backing(image);
        if (below == null) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "snapshot image '" + disk.file() + "' for disk '"
                + disk.name() + "' is not in the disk's backing chain");
        }
        QemuImg.commit(disk.file());
        if (above != null) {
            QemuImg.rebaseUnsafe(above, below.file(), below.format());
        }
    }

    /** HMP's snapshot commands answer with text only when something went wrong. */
    private static void hmp(QemuRun run, String command) {
        run.ignorePauses();
        String out;
        try {
            out = run.qmp().humanMonitorCommand(command, VM_STATE_TIMEOUT);
        } finally {
            run.reportPauses();
        }
        if (!out.isBlank()) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU,
                "Failed to " + command.substring(0, command.indexOf(' ')) + ": " + out.strip());
        }
    }

    private static void prepareOverlays(GuestDef guest, List<SnapshotDisk> disks, boolean reuse, boolean active) {
        for (SnapshotDisk disk : disks) {
            if (!disk.isExternal()) {
                continue;
            }
            Path overlay = Path.of(disk.file());
            if (reuse) {
                if (!Files.exists(overlay)) {
                    throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "missing existing file for disk "
                        + disk.name() + ": " + disk.file() + ": No such file or directory");
                }
                continue;
            }
            if (Files.exists(overlay) && !"block".equals(disk.type())) {
                throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "external snapshot file for disk "
                    + disk.name() + " already exists and is not a block device: " + disk.file());
            }
            GuestDef.Disk guestDisk = diskOf(guest, disk);
            String format = guestDisk.format() == null ? "raw" : guestDisk.format();
            long size = active ? QemuImg.virtualSize(guestDisk.source()) : 0;
            QemuImg.createOverlay(disk.file(), guestDisk.source(), format, size);
        }
    }

    /** Opens every overlay on its disk's top node in one transaction (libvirt's --atomic is always true here). */
    private static void switchToOverlays(QemuRun run, GuestDef guest, List<SnapshotDisk> disks) {
        List<Map<String, Object>> blocks = run.qmp().queryBlock();
        List<Props> actions = new ArrayList<>();
        int n = 0;
        for (SnapshotDisk disk : disks) {
            if (!disk.isExternal()) {
                continue;
            }
            String node = topNode(blocks, diskOf(guest, disk).source());
            actions.add(Props.of("type", "blockdev-snapshot-sync").put("data", Props.of("node-name", node)
                .put("snapshot-file", disk.file())
                .put("snapshot-node-name", "snap" + Long.toHexString(System.nanoTime()) + "-" + n++)
                .put("format", disk.driverType()).put("mode", "existing")));
        }
        if (!actions.isEmpty()) {
            run.qmp().transaction(actions);
        }
    }

    @SuppressWarnings("unchecked")
    private static String topNode(List<Map<String, Object>> blocks, String file) {
        for (Map<String, Object> block : blocks) {
            Object inserted = block.get("inserted");
            if (inserted instanceof Map<?, ?> map && file.equals(((Map<String, Object>) map).get("file"))) {
                return String.valueOf(((Map<String, Object>) map).get("node-name"));
            }
        }
        throw VirtErrors.internal(ErrorDomain.QEMU, "cannot find the block node of '" + file + "'");
    }

    private static GuestDef.Disk diskOf(GuestDef guest, SnapshotDisk disk) {
        return guest.devices().disks().stream().filter(d -> disk.name().equals(d.target())).findFirst()
            .orElseThrow(() -> VirtErrors.internal(ErrorDomain.QEMU, "no disk " + disk.name()));
    }

    private static String sourceOf(GuestDef guest, SnapshotDisk disk) {
        return diskOf(guest, disk).source();
    }
}
