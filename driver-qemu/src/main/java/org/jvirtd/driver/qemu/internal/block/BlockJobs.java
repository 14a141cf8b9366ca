package org.jvirtd.driver.qemu.internal.block;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.BlockJobFlags;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * The block jobs of one running QEMU, driven through QMP's job API as libvirt 9.0 drives QEMU 7.2
 * (block-commit, block-stream, blockdev-mirror; auto-finalize on, auto-dismiss off): starts them, answers for
 * them, pivots or cancels them, turns QEMU's job status changes into libvirt's block job events and keeps the
 * live XML's chain and mirror current. QMP events are handled off the monitor's reader thread, since
 * handling them asks QEMU more; those of backup jobs go to the run's {@link BackupJobs}.
 */
public final class BlockJobs {
    private static final System.Logger LOG = System.getLogger(BlockJobs.class.getName());
    /** How long a synchronous abort or pivot waits for QEMU to end the job. */
    private static final long ABORT_WAIT_SECONDS = 600;

    private final Supplier<QmpClient> qmp;
    private final Map<String, BlockJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, Threshold> thresholds = new ConcurrentHashMap<>();
    private final ExecutorService events;
    private volatile DomainHandle handle;
    private final BackupJobs backups;

    private record Threshold(String dev, String path, long threshold) {
    }

    public BlockJobs(DomainHandle handle, Supplier<QmpClient> qmp) {
        this.handle = handle;
        this.qmp = qmp;
        this.backups = new BackupJobs(qmp);
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "qemu-blockjobs-" + handle.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The checkpoint bitmaps and the backup of this run. */
    public BackupJobs backups() {
        return backups;
    }

    /** The QMP events this class handles, to be merged into the monitor's handler map. */
    public Map<String, Consumer<Map<String, Object>>> qmpEvents() {
        return Map.of(
            "JOB_STATUS_CHANGE", data -> events.execute(() -> onStatus(String.valueOf(data.get("id")),
                String.valueOf(data.get("status")))),
            "BLOCK_WRITE_THRESHOLD", data -> events.execute(() -> onThreshold(data)));
    }

    /** Ends the event thread once QEMU is gone; callers waiting for a job are told. */
    public void close() {
        events.shutdown();
        jobs.values().forEach(job -> job.ended.completeExceptionally(
            VirtErrors.operationFailed(ErrorDomain.QEMU, "domain is not running")));
    }

    /** The live XML with each local disk's image chain as QEMU opened it, as libvirt shows a started guest's. */
    public static String withChains(QmpClient qmp, String xml, int id) {
        GuestDef def = GuestXml.parse(xml, id);
        String result = xml;
        for (int i = 0; i < def.devices().disks().size(); i++) {
            GuestDef.Disk disk = def.devices().disks().get(i);
            if (disk.source() == null || !"file".equals(disk.type()) && !"block".equals(disk.type())) {
                continue;
            }
            try {
                DiskChain chain = DiskChain.read(qmp, def, i);
                result = BackingChainXml.apply(result, id, i, chain.layers(), null);
            } catch (VirtException e) {
                LOG.log(System.Logger.Level.DEBUG, "no chain for disk " + disk.target() + ": " + e.getMessage());
            }
        }
        return result;
    }

    // ---- resize and threshold

    public void resize(DomainHandle call, String disk, long bytes) {
        handle = call;
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        int index = DiskChain.diskIndex(def, disk);
        if (index < 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + disk + "' was not found in the domain config");
        }
        DiskChain chain = DiskChain.read(qmp.get(), def, index);
        // qcow2 and raw sizes are whole sectors; libvirt rounds up the same way
        qmp.get().blockResize(chain.top().node(), (bytes + 511) / 512 * 512);
    }

    public void setThreshold(DomainHandle call, String disk, long threshold) {
        handle = call;
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        String target = disk.contains("[") ? disk.substring(0, disk.indexOf('[')) : disk;
        int index = DiskChain.diskIndex(def, target);
        DiskChain chain = index < 0 ? null : DiskChain.read(qmp.get(), def, index);
        Integer layer = chain == null ? null : disk.contains("[") ? chain.find(disk) : Integer.valueOf(0);
        if (layer == null) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "failed to find disk '" + disk + "'");
        }
        String node = storageNode(chain.layers().get(layer).node());
        qmp.get().blockSetWriteThreshold(node, threshold);
        String dev = layer == 0 ? chain.disk().target() : chain.disk().target() + "[" + (layer + 1) + "]";
        thresholds.put(node, new Threshold(dev, chain.layers().get(layer).file(), threshold));
    }

    /** The protocol node under a format node this driver named; QEMU watches the writes that grow the file there. */
    private static String storageNode(String formatNode) {
        return formatNode != null && formatNode.matches("libvirt-\\d+-format")
            ? formatNode.replace("-format", "-storage") : formatNode;
    }

    private void onThreshold(Map<String, Object> data) {
        Threshold t = thresholds.remove(String.valueOf(data.get("node-name")));
        if (t != null) {
            handle.emitBlockThreshold(t.dev(), t.path(), t.threshold(),
                ((Number) data.getOrDefault("amount-exceeded", 0L)).longValue());
        }
    }

    // ---- starting jobs

    public void commit(DomainHandle call, String disk, String base, String top, long bandwidth, int flags) {
        handle = call;
        DiskChain chain = chainFor(call, disk);
        String target = chain.disk().target();
        int topIndex = top == null ? 0 : layer(chain, top);
        boolean active = topIndex == 0;
        if (active && (flags & BlockJobFlags.COMMIT_ACTIVE) == 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "commit of '" + target + "' active layer requires active flag");
        }
        if (!active && (flags & BlockJobFlags.COMMIT_ACTIVE) != 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "active commit requested but '" + top + "' is not active");
        }
        if (topIndex == chain.layers().size() - 1) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "top '" + chain.layers().get(topIndex).file()
                + "' in chain for '" + target + "' has no backing file");
        }
        int baseIndex = (flags & BlockJobFlags.COMMIT_SHALLOW) != 0 ? topIndex + 1
            : base == null ? chain.layers().size() - 1 : layer(chain, base);
        if (baseIndex <= topIndex) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "could not find base image in chain for '" + target + "'");
        }
        DiskChain.Layer topLayer = chain.layers().get(topIndex);
        DiskChain.Layer baseLayer = chain.layers().get(baseIndex);
        String id = jobId("commit", target, topLayer.node());
        Props args = Props.of("job-id", id).put("device", chain.top().node()).put("top-node", topLayer.node())
            .put("base-node", baseLayer.node()).put("speed", bandwidth > 0 ? bandwidth : null)
            .put("auto-finalize", true).put("auto-dismiss", false);
        if ((flags & BlockJobFlags.COMMIT_RELATIVE) != 0 && !active) {
            args.put("backing-file", relative(chain.layers().get(topIndex - 1).file(), baseLayer.file()));
        }
        BlockJob job = active
            ? new BlockJob(id, target, BlockJobFlags.TYPE_ACTIVE_COMMIT, chain.top().node(), null, baseLayer.file(),
                baseLayer.format(), baseIndex + 1)
            : new BlockJob(id, target, BlockJobFlags.TYPE_COMMIT, null, null, null, null, 0);
        job.committedNodes = chain.layers().subList(topIndex, baseIndex).stream().map(DiskChain.Layer::node).toList();
        start(call, chain, job, "block-commit", args);
    }

    /**
     * Merges one image of a disk's chain into the image below it and waits for the end, as deleting an external
     * snapshot does: an inner image with a commit job, the active one with an active commit pivoted once ready.
     * Returns the image below, which the disk then uses in place of {@code overlay}.
     */
    public String mergeDown(DomainHandle call, String disk, String overlay) {
        handle = call;
        DiskChain chain = chainFor(call, disk);
        Integer top = chain.find(overlay);
        if (top == null || top == chain.layers().size() - 1) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "snapshot image '" + overlay + "' for disk '"
                + chain.disk().target() + "' is not in the disk's backing chain");
        }
        String base = chain.layers().get(top + 1).file();
        boolean active = top == 0;
        commit(call, disk, base, active ? null : overlay, 0, active ? BlockJobFlags.COMMIT_ACTIVE : 0);
        BlockJob job = jobs.get(chain.disk().target());
        if (job != null && active) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ABORT_WAIT_SECONDS);
            while (!job.ready && !job.ended.isDone() && System.nanoTime() < deadline) {
                sleepBriefly();
            }
            if (!job.ended.isDone()) {
                abort(call, disk, BlockJobFlags.ABORT_PIVOT);
            }
        }
        if (job != null) {
            awaitEnd(job);
            recordEnd(call, job);
            if (job.ended.join() != BlockJobFlags.STATUS_COMPLETED) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "block commit of '" + overlay + "' into '"
                    + base + "' failed");
            }
        }
        return base;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted waiting for a block job");
        }
    }

    public void pull(DomainHandle call, String disk, String base, long bandwidth, int flags) {
        handle = call;
        DiskChain chain = chainFor(call, disk);
        String target = chain.disk().target();
        Props args = Props.of("job-id", jobId("pull", target, chain.top().node())).put("device", chain.top().node());
        if (base != null) {
            int baseIndex = layer(chain, base);
            if (baseIndex == 0) {
                throw VirtErrors.invalidArg(ErrorDomain.QEMU, "could not find base image in chain for '" + target + "'");
            }
            args.put("base-node", chain.layers().get(baseIndex).node());
            if ((flags & BlockJobFlags.REBASE_RELATIVE) != 0) {
                args.put("backing-file", relative(chain.top().file(), chain.layers().get(baseIndex).file()));
            }
        }
        args.put("speed", bandwidth > 0 ? bandwidth : null).put("auto-finalize", true).put("auto-dismiss", false);
        start(call, chain, new BlockJob(String.valueOf(args.get("job-id")), target, BlockJobFlags.TYPE_PULL, null,
            null, null, null, 0), "block-stream", args);
    }

    public void copy(DomainHandle call, String disk, String destinationXml, List<TypedParameter> params, int flags) {
        handle = call;
        DiskChain chain = chainFor(call, disk);
        String target = chain.disk().target();
        boolean shallow = (flags & BlockJobFlags.COPY_SHALLOW) != 0;
        boolean reuse = (flags & BlockJobFlags.COPY_REUSE_EXT) != 0;
        CopyDestination dest = CopyDestination.parse(destinationXml, chain.top().format());
        DiskChain.Layer backing = shallow && chain.layers().size() > 1 ? chain.layers().get(1) : null;
        if (call.persistent() && (flags & BlockJobFlags.COPY_TRANSIENT_JOB) == 0) {
            // a persistent domain could be restarted from its config mid-copy (libvirt-guests' managedsave)
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "domain is not transient");
        }
        if (reuse && !dest.exists()) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "missing destination file for disk "
                + target + ": " + dest.path() + ": No such file or directory");
        }
        if (!reuse && dest.exists() && !dest.block()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, "external destination file for disk "
                + target + " already exists and is not a block device: " + dest.path());
        }
        if (!reuse) {
            dest.create(chain.top().virtualSize(), backing);
        }
        int n = DiskChain.nextNodeNumber(qmp.get());
        String storage = "libvirt-" + n + "-storage";
        String format = "libvirt-" + n + "-format";
        QmpClient q = qmp.get();
        q.blockdevAdd(Props.of("driver", dest.block() ? "host_device" : "file").put("filename", dest.path())
            .put("node-name", storage).put("auto-read-only", true).put("discard", "unmap"));
        Props formatNode = Props.of("node-name", format).put("read-only", false).put("driver", dest.format())
            .put("file", storage);
        if (!"raw".equals(dest.format())) {
            if (backing == null) {
                formatNode.putNull("backing");
            } else {
                formatNode.put("backing", backing.node());
            }
        }
        try {
            q.blockdevAdd(formatNode);
        } catch (VirtException e) {
            deleteNodes(storage);
            throw e;
        }
        String id = jobId("copy", target, chain.top().node());
        Props args = Props.of("job-id", id).put("device", chain.top().node()).put("target", format)
            .put("sync", shallow ? "top" : "full");
        for (TypedParameter p : params) {
            switch (p.field()) {
                case "bandwidth" -> args.put("speed", ((Number) p.value()).longValue() > 0 ? p.value() : null);
                case "granularity" -> args.put("granularity", p.value());
                case "buf-size" -> args.put("buf-size", p.value());
                default -> throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                    "argument unsupported: parameter '" + p.field() + "' not supported");
            }
        }
        if ((flags & BlockJobFlags.COPY_SYNCHRONOUS_WRITES) != 0) {
            args.put("copy-mode", "write-blocking");
        }
        args.put("auto-finalize", true).put("auto-dismiss", false);
        BlockJob job = new BlockJob(id, target, BlockJobFlags.TYPE_COPY, chain.top().node(), format, dest.path(),
            dest.format(), chain.layers().size() + 1);
        try {
            start(call, chain, job, "blockdev-mirror", args);
        } catch (VirtException e) {
            deleteNodes(format, storage);
            throw e;
        }
    }

    /** Registers the job before QEMU starts it: a short job may conclude before the start command returns. */
    private void start(DomainHandle call, DiskChain chain, BlockJob job, String command, Props args) {
        jobs.put(job.target, job);
        try {
            qmp.get().startBlockJob(command, args);
        } catch (VirtException e) {
            jobs.remove(job.target, job);
            throw e;
        }
        call.putRuntime(Map.of(BlockJob.factKey(job.target), job.fact()));
        if (job.twoPhase()) {
            call.setLiveXml(BackingChainXml.apply(call.xml(), call.id(), chain.diskIndex(), chain.layers(),
                mirror(job)));
        }
    }

    /**
     * libvirt's job name, kind-target-node; QEMU takes only identifiers as job ids, so the {@code #} of a
     * node QEMU named itself is left out.
     */
    private static String jobId(String kind, String target, String node) {
        return kind + "-" + target + "-" + node.replaceAll("[^A-Za-z0-9._-]", "");
    }

    private static BackingChainXml.Mirror mirror(BlockJob job) {
        String name = job.type == BlockJobFlags.TYPE_COPY ? "copy" : "active-commit";
        return new BackingChainXml.Mirror(name, job.mirrorFile, job.mirrorFormat, job.mirrorIndex, job.ready,
            job.type == BlockJobFlags.TYPE_COPY);
    }

    /** The disk's chain, refused as libvirt refuses a disk that is not there or already has a job. */
    private DiskChain chainFor(DomainHandle call, String disk) {
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        int index = DiskChain.diskIndex(def, disk);
        if (index < 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + disk + "' not found in domain");
        }
        String target = def.devices().disks().get(index).target();
        if (jobs.containsKey(target)) {
            throw new VirtException(ErrorCode.BLOCK_COPY_ACTIVE, ErrorDomain.QEMU,
                "disk '" + target + "' already in active block job");
        }
        return DiskChain.read(qmp.get(), def, index);
    }

    private static int layer(DiskChain chain, String name) {
        Integer index = chain.find(name);
        if (index == null) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "could not find image '" + name + "' in chain for '"
                + chain.disk().target() + "'");
        }
        return index;
    }

    /** The backing file name an image keeps for {@code base} with --keep-relative: relative to its own folder. */
    private static String relative(String image, String base) {
        Path dir = Path.of(image).toAbsolutePath().getParent();
        return dir == null ? base : dir.relativize(Path.of(base).toAbsolutePath()).toString();
    }

    // ---- the running job

    public BlockJobInfo info(DomainHandle call, String disk, int flags) {
        handle = call;
        BlockJob job = jobOf(call, disk, false);
        if (job == null) {
            return null;
        }
        long cur = 0;
        long end = 0;
        long speed = 0;
        Boolean ready = null;
        for (Map<String, Object> q : qmp.get().queryBlockJobs()) {
            if (job.id.equals(q.get("device"))) {
                cur = ((Number) q.get("offset")).longValue();
                end = ((Number) q.get("len")).longValue();
                speed = ((Number) q.get("speed")).longValue();
                ready = Boolean.TRUE.equals(q.get("ready"));
            }
        }
        if (ready == null) {
            // QEMU is done with it and the end is being handled: show it complete
            cur = 1;
            end = 1;
        } else if (cur == 0 && end == 0) {
            end = 1;
            cur = ready ? 1 : 0;
        } else if (!ready && cur == end) {
            // callers that poll take cur == end for done: a job not ready yet stays one short of it
            cur--;
        }
        long bandwidth = (flags & BlockJobFlags.INFO_BANDWIDTH_BYTES) != 0 ? speed : speed >> 20;
        return new BlockJobInfo(job.type, bandwidth, cur, end);
    }

    public void setSpeed(DomainHandle call, String disk, long bandwidth) {
        handle = call;
        qmp.get().blockJobSetSpeed(jobOf(call, disk, true).id, bandwidth);
    }

    public void abort(DomainHandle call, String disk, int flags) {
        handle = call;
        BlockJob job = jobOf(call, disk, true);
        if ((flags & BlockJobFlags.ABORT_PIVOT) != 0) {
            if (!job.twoPhase()) {
                throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "pivot of disk '" + job.target
                    + "' requires an active copy job");
            }
            if (!job.ready) {
                throw new VirtException(ErrorCode.BLOCK_COPY_ACTIVE, ErrorDomain.QEMU, "disk '" + job.target
                    + "' not ready for pivot yet");
            }
            job.pivotRequested = true;
            call.putRuntime(Map.of(BlockJob.factKey(job.target), job.fact()));
            qmp.get().jobComplete(job.id);
        } else {
            job.abortRequested = true;
            call.putRuntime(Map.of(BlockJob.factKey(job.target), job.fact()));
            qmp.get().blockJobCancel(job.id);
        }
        if ((flags & BlockJobFlags.ABORT_ASYNC) == 0) {
            awaitEnd(job);
            // the end's own update waits for the domain this call holds: the caller must see the result now
            recordEnd(call, job);
        }
    }

    private static void awaitEnd(BlockJob job) {
        try {
            job.ended.get(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof VirtException v ? v
                : VirtErrors.operationFailed(ErrorDomain.QEMU, String.valueOf(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "block job '" + job.id + "' did not end in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted waiting for block job '" + job.id + "'");
        }
    }

    private BlockJob jobOf(DomainHandle call, String disk, boolean required) {
        GuestDef def = GuestXml.parse(call.xml(), call.id());
        int index = DiskChain.diskIndex(def, disk);
        if (index < 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + disk + "' not found in domain");
        }
        String target = def.devices().disks().get(index).target();
        BlockJob job = jobs.get(target);
        if (job == null && required) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk " + target + " does not have an active block job");
        }
        return job;
    }

    // ---- QEMU's side of the job

    private BlockJob byId(String id) {
        for (BlockJob job : jobs.values()) {
            if (job.id.equals(id)) {
                return job;
            }
        }
        return null;
    }

    private void onStatus(String id, String status) {
        BlockJob job = byId(id);
        if (job == null) {
            backups.onStatus(id, status, handle);
            return;
        }
        try {
            if ("ready".equals(status) && !job.ready) {
                job.ready = true;
                handle.putRuntime(Map.of(BlockJob.factKey(job.target), job.fact()));
                DiskChain chain = chainOf(job.target);
                DomainHandle h = handle;
                // a job that ended before this runs (a pivot right after ready) must not get its mirror back
                h.updateLiveXml(xml -> job.ended.isDone() ? xml
                    : BackingChainXml.apply(xml, h.id(), chain.diskIndex(), chain.layers(), mirror(job)));
                handle.emitBlockJob(job.target, chain.top().file(), job.type, BlockJobFlags.STATUS_READY);
            } else if ("concluded".equals(status)) {
                conclude(job);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "block job " + id + " of " + handle.name() + ": " + e.getMessage());
            if ("concluded".equals(status)) {
                jobs.remove(job.target, job);
                job.ended.completeExceptionally(e);
            }
        }
    }

    /** QEMU has ended the job: reads its error, dismisses it, tidies the nodes, reports the end. */
    private void conclude(BlockJob job) {
        String error = null;
        for (Map<String, Object> q : qmp.get().queryJobs()) {
            if (job.id.equals(q.get("id")) && q.get("error") != null) {
                error = String.valueOf(q.get("error"));
            }
        }
        qmp.get().jobDismiss(job.id);
        // QEMU gives a job cancelled before it was ready the error "Operation canceled"
        int status = job.abortRequested ? BlockJobFlags.STATUS_CANCELED
            : error != null ? BlockJobFlags.STATUS_FAILED : BlockJobFlags.STATUS_COMPLETED;
        if (status == BlockJobFlags.STATUS_FAILED) {
            LOG.log(System.Logger.Level.WARNING, "block job " + job.id + " of " + handle.name() + " failed: " + error);
        }
        boolean pivoted = status == BlockJobFlags.STATUS_COMPLETED && job.twoPhase();
        if (pivoted) {
            deleteNodes(job.oldTop, storageNode(job.oldTop));
        } else if (job.mirrorNode != null) {
            deleteNodes(job.mirrorNode, storageNode(job.mirrorNode));
        }
        boolean committed = status == BlockJobFlags.STATUS_COMPLETED && (job.type == BlockJobFlags.TYPE_COMMIT
            || job.type == BlockJobFlags.TYPE_ACTIVE_COMMIT);
        if (committed) {
            for (String node : job.committedNodes) {
                deleteNodes(node, storageNode(node));
            }
        }
        jobs.remove(job.target, job);
        String path = null;
        try {
            handle.putRuntime(Map.of(BlockJob.factKey(job.target), ""));
            DiskChain chain = chainOf(job.target);
            job.endChain = chain;
            recordEnd(handle, job);
            path = chain.top().file();
        } finally {
            // whoever waits for the end (virsh --wait, a synchronous abort) must hear of it in any case
            handle.emitBlockJob(job.target, path != null ? path : job.target, job.type, status);
            job.ended.complete(status);
        }
    }

    /**
     * Shows a job's end in the live definition, once: from the job's end (soon after, on the domain's report
     * thread) or from a caller that waited for it (at once, holding the domain), whichever comes first; the
     * other finds it recorded and leaves the definition alone, so neither undoes a change made in between
     * (the next snapshot's overlay right after a pivot).
     */
    private static void recordEnd(DomainHandle h, BlockJob job) {
        DiskChain chain = job.endChain;
        if (chain == null) {
            return;
        }
        h.updateLiveXml(xml -> job.endRecorded.compareAndSet(false, true)
            ? BackingChainXml.apply(xml, h.id(), chain.diskIndex(), chain.layers(), null) : xml);
    }

    private DiskChain chainOf(String target) {
        GuestDef def = GuestXml.parse(handle.xml(), handle.id());
        return DiskChain.read(qmp.get(), def, DiskChain.diskIndex(def, target));
    }

    /** Removes nodes this driver added; those QEMU opened by itself are not deletable and go with their parent. */
    private void deleteNodes(String... nodes) {
        for (String node : nodes) {
            if (node != null && node.startsWith("libvirt-")) {
                try {
                    qmp.get().blockdevDel(node);
                } catch (VirtException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot remove node " + node + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Takes the jobs an earlier driver instance started back from the run's facts: those QEMU still runs
     * are followed again, one that concluded meanwhile is ended now, one QEMU no longer knows is dropped.
     */
    public void recover(DomainHandle call) {
        handle = call;
        List<Map<String, Object>> running = qmp.get().queryJobs();
        for (Map.Entry<String, String> fact : call.runtime().entrySet()) {
            if (!fact.getKey().startsWith("blockjob.") || fact.getValue().isEmpty()) {
                continue;
            }
            BlockJob job = BlockJob.parse(fact.getValue());
            String status = null;
            for (Map<String, Object> q : running) {
                if (job.id.equals(q.get("id"))) {
                    status = String.valueOf(q.get("status"));
                }
            }
            if (status == null) {
                LOG.log(System.Logger.Level.WARNING, "block job " + job.id + " of " + call.name() + " ended unseen");
                call.putRuntime(Map.of(fact.getKey(), ""));
                continue;
            }
            jobs.put(job.target, job);
            String now = status;
            events.execute(() -> onStatus(job.id, now));
        }
    }
}
