package org.jvirtd.driver.qemu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.api.driver.BackupOperations;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.backup.Checkpoint;
import org.jvirtd.driver.qemu.internal.backup.CheckpointStore;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.run.QemuRun;

/**
 * The QEMU driver's checkpoints and backups: checkpoint metadata in the driver's state directory, each
 * checkpoint a persistent qcow2 dirty bitmap per disk (added over QMP while the guest runs, with qemu-img
 * while it does not), push backups and the domain job through the run's block jobs.
 */
final class QemuBackupOperations implements BackupOperations {
    /** virDomainCheckpointCreateFlags REDEFINE: takes the metadata as given, touching no image. */
    private static final int CREATE_REDEFINE = 1;
    private static final int LIST_ROOTS = 1;
    private static final int LIST_DESCENDANTS = 1;
    private static final int LIST_LEAVES = 4;
    private static final int LIST_NO_LEAVES = 8;
    private static final int XML_NO_DOMAIN = 2;
    private static final int DELETE_CHILDREN = 1;
    private static final int DELETE_METADATA_ONLY = 2;
    private static final int DELETE_CHILDREN_ONLY = 4;

    /** The domain's running QEMU, or null while it is shut off. */
    private final Function<DomainHandle, QemuRun> runs;

    QemuBackupOperations(Function<DomainHandle, QemuRun> runs) {
        this.runs = runs;
    }

    private static CheckpointStore store(DomainHandle domain) {
        return new CheckpointStore(domain.stateDir(), domain.name());
    }

    @Override
    public String createCheckpoint(DomainHandle domain, String xml, int flags) {
        CheckpointStore store = store(domain);
        Checkpoint asked = Checkpoint.parse(xml);
        if ((flags & CREATE_REDEFINE) != 0) {
            store.save(asked);
            return asked.name();
        }
        Checkpoint checkpoint = prepare(domain, store, asked);
        QemuRun run = runs.apply(domain);
        if (run != null) {
            run.blockJobs().backups().addBitmaps(domain, bitmaps(checkpoint));
        } else {
            GuestDef def = GuestXml.parse(domain.xml(), -1);
            bitmaps(checkpoint).forEach((target, bitmap) -> qemuImgBitmap("--add",
                def.devices().disks().get(indexOf(def, target)).source(), bitmap));
        }
        store.save(checkpoint);
        return checkpoint.name();
    }

    /** The new checkpoint with libvirt's defaults: a name from the clock, the newest as parent, every disk. */
    private static Checkpoint prepare(DomainHandle domain, CheckpointStore store, Checkpoint asked) {
        long now = System.currentTimeMillis() / 1000;
        String name = asked.name() != null ? asked.name() : Long.toString(now);
        if (store.find(name).isPresent()) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "domain moment " + name + " already exists");
        }
        GuestDef def = GuestXml.parse(domain.xml(), domain.id());
        List<Checkpoint.Disk> disks = new ArrayList<>();
        for (GuestDef.Disk d : def.devices().disks()) {
            Checkpoint.Disk given = asked.disks().stream().filter(x -> x.name().equals(d.target())).findFirst()
                .orElse(null);
            boolean wanted = d.source() != null && !d.isCdrom() && !d.readonly()
                && (given == null ? asked.disks().isEmpty() : "bitmap".equals(given.checkpoint()));
            if (!wanted) {
                disks.add(new Checkpoint.Disk(d.target(), "no", null));
                continue;
            }
            if (!"qcow2".equals(d.format())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "checkpoint for disk "
                    + d.target() + " unsupported for storage type " + (d.format() == null ? "raw" : d.format()));
            }
            disks.add(new Checkpoint.Disk(d.target(), "bitmap",
                given != null && given.bitmap() != null ? given.bitmap() : name));
        }
        String parent = store.current().map(Checkpoint::name).orElse(null);
        // the definition as it runs, without the run's id (as libvirt embeds it)
        String definition = org.jvirtd.model.domain.DomainXml.format(org.jvirtd.model.domain.DomainXml.parse(
            domain.xml()), -1, org.jvirtd.model.domain.DomainXml.SECURE);
        return new Checkpoint(name, asked.description(), parent, now, disks, definition);
    }

    private static Map<String, String> bitmaps(Checkpoint checkpoint) {
        Map<String, String> bitmaps = new LinkedHashMap<>();
        checkpoint.disks().stream().filter(d -> "bitmap".equals(d.checkpoint()))
            .forEach(d -> bitmaps.put(d.name(), d.bitmap()));
        return bitmaps;
    }

    private static int indexOf(GuestDef def, String target) {
        for (int i = 0; i < def.devices().disks().size(); i++) {
            if (target.equals(def.devices().disks().get(i).target())) {
                return i;
            }
        }
        throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + target + "' not found in domain");
    }

    /** qemu-img bitmap --add/--remove on a shut-off guest's image. */
    private static void qemuImgBitmap(String action, String image, String bitmap) {
        try {
            Process p = new ProcessBuilder("qemu-img", "bitmap", action, image, bitmap).redirectErrorStream(true)
                .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "qemu-img bitmap " + action + " " + bitmap
                    + " on '" + image + "' failed: " + out);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "unable to run qemu-img bitmap", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted running qemu-img bitmap");
        }
    }

    @Override
    public List<String> listCheckpoints(DomainHandle domain, int flags) {
        List<Checkpoint> all = store(domain).all();
        return all.stream().filter(c -> (flags & LIST_ROOTS) == 0 || c.parent() == null)
            .filter(c -> (flags & LIST_LEAVES) == 0 || children(all, c.name()).isEmpty())
            .filter(c -> (flags & LIST_NO_LEAVES) == 0 || !children(all, c.name()).isEmpty())
            .map(Checkpoint::name).toList();
    }

    @Override
    public List<String> listChildren(DomainHandle domain, String checkpoint, int flags) {
        CheckpointStore store = store(domain);
        store.require(checkpoint);
        List<Checkpoint> all = store.all();
        List<String> found = (flags & LIST_DESCENDANTS) != 0 ? descendants(all, checkpoint)
            : children(all, checkpoint);
        return found.stream().filter(n -> (flags & LIST_LEAVES) == 0 || children(all, n).isEmpty())
            .filter(n -> (flags & LIST_NO_LEAVES) == 0 || !children(all, n).isEmpty()).toList();
    }

    private static List<String> children(List<Checkpoint> all, String name) {
        return all.stream().filter(c -> name.equals(c.parent())).map(Checkpoint::name).toList();
    }

    private static List<String> descendants(List<Checkpoint> all, String name) {
        List<String> found = new ArrayList<>();
        for (String child : children(all, name)) {
            found.add(child);
            found.addAll(descendants(all, child));
        }
        return found;
    }

    @Override
    public void requireCheckpoint(DomainHandle domain, String checkpoint) {
        store(domain).require(checkpoint);
    }

    @Override
    public String checkpointXml(DomainHandle domain, String checkpoint, int flags) {
        return store(domain).require(checkpoint).format((flags & XML_NO_DOMAIN) == 0);
    }

    @Override
    public String checkpointParent(DomainHandle domain, String checkpoint) {
        Checkpoint c = store(domain).require(checkpoint);
        if (c.parent() == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN_CHECKPOINT, ErrorDomain.QEMU, "checkpoint '" + checkpoint
                + "' has no parent");
        }
        return c.parent();
    }

    @Override
    public void deleteCheckpoint(DomainHandle domain, String checkpoint, int flags) {
        CheckpointStore store = store(domain);
        store.require(checkpoint);
        List<String> doomed = new ArrayList<>(descendants(store.all(), checkpoint));
        if ((flags & (DELETE_CHILDREN | DELETE_CHILDREN_ONLY)) == 0) {
            doomed.clear();
        }
        java.util.Collections.reverse(doomed);
        if ((flags & DELETE_CHILDREN_ONLY) == 0) {
            doomed.add(checkpoint);
        }
        for (String name : doomed) {
            Checkpoint c = store.require(name);
            if ((flags & DELETE_METADATA_ONLY) == 0) {
                removeBitmaps(domain, c);
            }
            for (String child : children(store.all(), name)) {
                store.save(store.require(child).withParent(c.parent()));
            }
            store.remove(name);
        }
    }

    private void removeBitmaps(DomainHandle domain, Checkpoint c) {
        QemuRun run = runs.apply(domain);
        GuestDef def = GuestXml.parse(domain.xml(), run == null ? -1 : domain.id());
        bitmaps(c).forEach((target, bitmap) -> {
            if (run != null) {
                run.blockJobs().backups().removeBitmap(domain, target, bitmap);
            } else {
                qemuImgBitmap("--remove", def.devices().disks().get(indexOf(def, target)).source(), bitmap);
            }
        });
    }

    @Override
    public void backupBegin(DomainHandle domain, String backupXml, String checkpointXml, int flags) {
        QemuRun run = requireRun(domain);
        CheckpointStore store = store(domain);
        java.util.regex.Matcher inc = java.util.regex.Pattern.compile("<incremental>\\s*([^<]*?)\\s*</incremental>")
            .matcher(backupXml);
        if (inc.find()) {
            store.require(inc.group(1));
        }
        Checkpoint checkpoint = checkpointXml == null ? null : prepare(domain, store, Checkpoint.parse(checkpointXml));
        List<Props> actions = checkpoint == null ? List.of() : run.blockJobs().backups().bitmapActions(domain, bitmaps(checkpoint));
        run.blockJobs().backups().backupBegin(domain, backupXml, actions, (flags & 1) != 0);
        if (checkpoint != null) {
            store.save(checkpoint);
        }
    }

    @Override
    public String backupXml(DomainHandle domain) {
        return requireRun(domain).blockJobs().backups().backupXml();
    }

    @Override
    public DomainJobStats jobStats(DomainHandle domain, int flags) {
        QemuRun run = runs.apply(domain);
        return run == null ? DomainJobStats.none()
            : run.blockJobs().backups().jobStats((flags & DomainJobStats.STATS_COMPLETED) != 0,
                (flags & DomainJobStats.STATS_KEEP_COMPLETED) != 0);
    }

    @Override
    public void abortJob(DomainHandle domain) {
        requireRun(domain).blockJobs().backups().abortBackup(domain);
    }

    private QemuRun requireRun(DomainHandle domain) {
        QemuRun run = runs.apply(domain);
        if (run == null) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "domain is not running");
        }
        return run;
    }
}
