package org.jvirtd.driver.qemu.internal.block;

import java.util.concurrent.CompletableFuture;

/**
 * One block job this driver started on a disk: QEMU's job id, libvirt's job type, the nodes a pivot or an
 * abort must remove, and what was asked of it. Kept in the run's facts as one line, so that a daemon that
 * restarts mid-job finds it again.
 */
final class BlockJob {
    final String id;
    final String target;
    final int type;
    /** The active layer's node before the job: removed once a copy or active commit has pivoted away. */
    final String oldTop;
    /** A copy's target node, file and format (its own nodes, removed if the copy is abandoned). */
    final String mirrorNode;
    final String mirrorFile;
    final String mirrorFormat;
    /** The index the live XML gives the mirror's image. */
    final int mirrorIndex;
    final CompletableFuture<Integer> ended = new CompletableFuture<>();
    /** The disk's chain once the job ended (set before {@link #ended} completes), null until then. */
    volatile DiskChain endChain;
    /** Whether the live definition shows the end yet: the first of the job's end and a waiting caller records it. */
    final java.util.concurrent.atomic.AtomicBoolean endRecorded = new java.util.concurrent.atomic.AtomicBoolean();
    volatile boolean ready;
    volatile boolean abortRequested;
    volatile boolean pivotRequested;
    /**
     * A commit's format nodes above its base: once the commit completed (an active one pivoted) they are out of
     * the chain but, when this driver added them, still hold the base as their backing, which keeps QEMU from
     * taking the base as a root for the next snapshot or copy. Known to the instance that started the job only.
     */
    volatile java.util.List<String> committedNodes = java.util.List.of();

    BlockJob(String id, String target, int type, String oldTop, String mirrorNode, String mirrorFile,
             String mirrorFormat, int mirrorIndex) {
        this.id = id;
        this.target = target;
        this.type = type;
        this.oldTop = oldTop;
        this.mirrorNode = mirrorNode;
        this.mirrorFile = mirrorFile;
        this.mirrorFormat = mirrorFormat;
        this.mirrorIndex = mirrorIndex;
    }

    /** The run fact's key for a disk's job. */
    static String factKey(String target) {
        return "blockjob." + target;
    }

    /** The run fact's value: URL-encoded fields separated by commas (the status file keeps it as an attribute). */
    String fact() {
        return java.util.stream.Stream.of(id, target, Integer.toString(type), nz(oldTop), nz(mirrorNode), nz(mirrorFile),
            nz(mirrorFormat), Integer.toString(mirrorIndex), Boolean.toString(ready),
            Boolean.toString(abortRequested), Boolean.toString(pivotRequested))
            .map(f -> java.net.URLEncoder.encode(f, java.nio.charset.StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.joining(","));
    }

    static BlockJob parse(String fact) {
        String[] f = java.util.Arrays.stream(fact.split(",", -1))
            .map(v -> java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8)).toArray(String[]::new);
        BlockJob job = new BlockJob(f[0], f[1], Integer.parseInt(f[2]), nul(f[3]), nul(f[4]), nul(f[5]), nul(f[6]),
            Integer.parseInt(f[7]));
        job.ready = Boolean.parseBoolean(f[8]);
        job.abortRequested = Boolean.parseBoolean(f[9]);
        job.pivotRequested = Boolean.parseBoolean(f[10]);
        return job;
    }

    /** Whether this job mirrors writes and waits, once ready, for a pivot or an abort. */
    boolean twoPhase() {
        return mirrorFile != null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String nul(String s) {
        return s.isEmpty() ? null : s;
    }
}
