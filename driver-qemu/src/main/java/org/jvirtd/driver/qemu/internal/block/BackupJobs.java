package org.jvirtd.driver.qemu.internal.block;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * The checkpoint bitmaps and the backup of one running QEMU: persistent dirty bitmaps added and removed on the
 * disks' images, one backup at a time (push or pull, see {@link DomainBackup}) and the figures of the running
 * and of the last ended backup. Its jobs' status changes come from {@link BlockJobs}, which sees QEMU's events.
 */
public final class BackupJobs {
    private static final System.Logger LOG = System.getLogger(BackupJobs.class.getName());

    private final Supplier<QmpClient> qmp;
    private volatile DomainBackup backup;
    private volatile org.jvirtd.api.domain.DomainJobStats completedBackup;

    BackupJobs(Supplier<QmpClient> qmp) {
        this.qmp = qmp;
    }

    /** A backup job of this run changed state; once all of its disks' jobs concluded, the backup has ended. */
    synchronized void onStatus(String id, String status, DomainHandle domain) {
        DomainBackup running = backup;
        if (running == null || !running.owns(id) || !"concluded".equals(status)) {
            return;
        }
        try {
            if (running.conclude(qmp.get(), id)) {
                completedBackup = running.stats(qmp.get(), true);
                backup = null;
                // as libvirt, every end of a backup (completed, failed or aborted) is reported with its figures
                domain.emitJobCompleted(completedBackup.params());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "backup job " + id + " of " + domain.name() + ": " + e);
        }
    }

    /** Adds persistent bitmaps (target, bitmap name) on the disks' active images, at once. */
    public void addBitmaps(DomainHandle call, Map<String, String> bitmaps) {
        qmp.get().transaction(bitmapActions(call, bitmaps));
    }

    /** The transaction actions that add persistent bitmaps (target, bitmap name) on the disks' active images. */
    public List<Props> bitmapActions(DomainHandle call, Map<String, String> bitmaps) {
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        List<Props> actions = new java.util.ArrayList<>();
        for (Map.Entry<String, String> b : bitmaps.entrySet()) {
            DiskChain chain = DiskChain.read(qmp.get(), def, DiskChain.diskIndex(def, b.getKey()));
            actions.add(Props.of("type", "block-dirty-bitmap-add").put("data", Props.of("node", chain.top().node())
                .put("name", b.getValue()).put("persistent", true)));
        }
        return actions;
    }

    /** Removes a bitmap from whichever image of the disk's chain holds it. */
    public void removeBitmap(DomainHandle call, String target, String bitmap) {
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        DiskChain chain = DiskChain.read(qmp.get(), def, DiskChain.diskIndex(def, target));
        VirtException last = null;
        for (DiskChain.Layer layer : chain.layers()) {
            try {
                qmp.get().blockDirtyBitmapRemove(layer.node(), bitmap);
                return;
            } catch (VirtException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    /** Starts a push backup; {@code checkpointActions} add a checkpoint's bitmaps at the same instant. */
    public void backupBegin(DomainHandle call, String xml, List<Props> checkpointActions, boolean reuse) {
        if (backup != null) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "another backup job is already running");
        }
        DomainBackup started = DomainBackup.start(qmp.get(), GuestXml.parse(call.xml(), call.id()), xml, reuse,
            checkpointActions, DiskChain.nextNodeNumber(qmp.get()));
        backup = started;
        // a backup with little to copy (an incremental one with nothing written since) can conclude before it
        // was registered here, its events unheard: such jobs are concluded now
        for (Map<String, Object> q : qmp.get().queryJobs()) {
            String id = String.valueOf(q.get("id"));
            if (started.owns(id) && "concluded".equals(q.get("status"))) {
                onStatus(id, "concluded", call);
            }
        }
    }

    public String backupXml() {
        DomainBackup running = backup;
        if (running == null) {
            throw new VirtException(ErrorCode.NO_DOMAIN_BACKUP, ErrorDomain.QEMU, "no domain backup job present");
        }
        return running.xml();
    }

    /**
     * domjobinfo's figures: the running backup's, or with {@code completed} the last ended one's, which a read
     * without {@code keep} discards (libvirt's STATS_KEEP_COMPLETED).
     */
    public synchronized org.jvirtd.api.domain.DomainJobStats jobStats(boolean completed, boolean keep) {
        if (completed) {
            org.jvirtd.api.domain.DomainJobStats done = completedBackup;
            if (!keep) {
                completedBackup = null;
            }
            return done == null ? org.jvirtd.api.domain.DomainJobStats.none() : done;
        }
        DomainBackup running = backup;
        return running == null ? org.jvirtd.api.domain.DomainJobStats.none() : running.stats(qmp.get(), false);
    }

    /**
     * Cancels the running backup's jobs and returns once the backup has ended (its jobs concluded, at most ten
     * seconds): a backup-dumpxml or domjobinfo right after domjobabort no longer sees it.
     */
    public void abortBackup(DomainHandle call) {
        DomainBackup running = backup;
        if (running == null) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "no job is active on the domain");
        }
        running.abortRequested = true;
        for (String id : running.jobIds()) {
            try {
                qmp.get().blockJobCancel(id);
            } catch (VirtException e) {
                LOG.log(System.Logger.Level.DEBUG, "backup job " + id + " is already over: " + e.getMessage());
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (backup == running && System.nanoTime() < deadline) {
            for (Map<String, Object> q : qmp.get().queryJobs()) {
                String id = String.valueOf(q.get("id"));
                if (running.owns(id) && "concluded".equals(q.get("status"))) {
                    onStatus(id, "concluded", call);
                }
            }
            if (backup == running) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
