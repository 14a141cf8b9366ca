package org.jvirtd.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.DomainBlockOperations;
import org.jvirtd.api.domain.BlockJobFlags;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's block commands in the Gogo scope {@code virt}: blockresize, domblkthreshold, blockcommit, blockpull,
 * blockcopy and blockjob, with virsh's options and messages; {@code --wait} follows the job, {@code --verbose}
 * shows its progress as virsh does ("Block Commit: [ 42 %]").
 */
@Component(service = BlockJobCommands.class, property = {"osgi.command.scope=virt",
    "osgi.command.function=blockresize", "osgi.command.function=domblkthreshold",
    "osgi.command.function=blockcommit", "osgi.command.function=blockpull", "osgi.command.function=blockcopy",
    "osgi.command.function=blockjob"})
public final class BlockJobCommands {
    /** How often a waiting command asks for the job's progress (virsh's 500 ms). */
    private static final long POLL_MILLIS = 500;

    private final ShellConnections connections;

    @Activate
    public BlockJobCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @Descriptor("resize block device of domain")
    public void blockresize(CommandSession session,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("fully-qualified path of block device or target") String path,
                            @Descriptor("new size of the block device, as scaled integer (default KiB)") String size) {
        Shell.run(session, "Failed to resize block device '" + path + "'", () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                c.blockOperations().resize(d, path, MemoryCommands.kib(size) * 1024, BlockJobFlags.RESIZE_BYTES);
                session.getConsole().println("Block device '" + path + "' is resized");
            }
        });
    }

    @Descriptor("set the threshold for block-threshold event for a given block device or it's backing chain element")
    public void domblkthreshold(CommandSession session,
                                @Descriptor("domain name, id or uuid") String domain,
                                @Descriptor("device to set threshold for") String dev,
                                @Descriptor("threshold as a scaled number (by default bytes)") String threshold) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                c.blockOperations().setThreshold(DomainCommands.lookup(c, domain), dev,
                    StorageCommands.scaled(threshold), 0);
            }
        });
    }

    @Descriptor("Start a block commit operation.")
    public void blockcommit(CommandSession session,
                            @Descriptor("path of base file to commit into (default bottom of chain)")
                            @Parameter(names = "--base", absentValue = "") String base,
                            @Descriptor("path of top file to commit from (default top of chain)")
                            @Parameter(names = "--top", absentValue = "") String top,
                            @Descriptor("use backing file of top as base")
                            @Parameter(names = "--shallow", presentValue = "true", absentValue = "false") boolean shallow,
                            @Descriptor("trigger two-stage active commit of top layer")
                            @Parameter(names = "--active", presentValue = "true", absentValue = "false") boolean active,
                            @Descriptor("implies --active --wait, and pivots the disk to the base when done")
                            @Parameter(names = "--pivot", presentValue = "true", absentValue = "false") boolean pivot,
                            @Descriptor("implies --active --wait, and keeps the overlay when done")
                            @Parameter(names = "--keep-overlay", presentValue = "true", absentValue = "false")
                            boolean keepOverlay,
                            @Descriptor("keep the backing chain relatively referenced")
                            @Parameter(names = "--keep-relative", presentValue = "true", absentValue = "false")
                            boolean keepRelative,
                            @Descriptor("bandwidth limit in MiB/s")
                            @Parameter(names = "--bandwidth", absentValue = "0") long bandwidth,
                            @Descriptor("wait for job to complete")
                            @Parameter(names = "--wait", presentValue = "true", absentValue = "false") boolean wait,
                            @Descriptor("with --wait, display the progress")
                            @Parameter(names = "--verbose", presentValue = "true", absentValue = "false") boolean verbose,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("fully-qualified path of disk") String path) {
        Shell.run(session, null, () -> {
            boolean isActive = active || pivot || keepOverlay;
            int flags = (shallow ? BlockJobFlags.COMMIT_SHALLOW : 0) | (isActive ? BlockJobFlags.COMMIT_ACTIVE : 0)
                | (keepRelative ? BlockJobFlags.COMMIT_RELATIVE : 0);
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                c.blockOperations().commit(d, path, blank(base), blank(top), bandwidth, flags);
                PrintStream out = session.getConsole();
                if (!wait && !pivot && !keepOverlay) {
                    out.println((isActive ? "Active Block Commit" : "Block Commit") + " started");
                    return;
                }
                boolean ended = follow(c.blockOperations(), d, path, "Block commit", verbose, out);
                if (!isActive || ended) {
                    out.println("Commit complete");
                } else if (pivot) {
                    c.blockOperations().abortJob(d, path, BlockJobFlags.ABORT_PIVOT);
                    out.println("Successfully pivoted");
                } else if (keepOverlay) {
                    c.blockOperations().abortJob(d, path, 0);
                    out.println("Commit complete, overlay image kept");
                } else {
                    out.println("Now in synchronized phase");
                }
            }
        });
    }

    @Descriptor("Populate a disk from its backing image.")
    public void blockpull(CommandSession session,
                          @Descriptor("path of backing file in chain for a partial pull")
                          @Parameter(names = "--base", absentValue = "") String base,
                          @Descriptor("keep the backing chain relatively referenced")
                          @Parameter(names = "--keep-relative", presentValue = "true", absentValue = "false")
                          boolean keepRelative,
                          @Descriptor("bandwidth limit in MiB/s")
                          @Parameter(names = "--bandwidth", absentValue = "0") long bandwidth,
                          @Descriptor("wait for job to finish")
                          @Parameter(names = "--wait", presentValue = "true", absentValue = "false") boolean wait,
                          @Descriptor("with --wait, display the progress")
                          @Parameter(names = "--verbose", presentValue = "true", absentValue = "false") boolean verbose,
                          @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("fully-qualified path of disk") String path) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                DomainBlockOperations ops = c.blockOperations();
                if (base.isEmpty() && !keepRelative) {
                    ops.pull(d, path, bandwidth, 0);
                } else {
                    ops.rebase(d, path, blank(base), bandwidth, keepRelative ? BlockJobFlags.REBASE_RELATIVE : 0);
                }
                PrintStream out = session.getConsole();
                if (!wait) {
                    out.println("Block Pull started");
                    return;
                }
                follow(ops, d, path, "Block Pull", verbose, out);
                out.println("Pull complete");
            }
        });
    }

    @Descriptor("Start a block copy operation.")
    public void blockcopy(CommandSession session,
                          @Descriptor("make the copy share a backing chain")
                          @Parameter(names = "--shallow", presentValue = "true", absentValue = "false") boolean shallow,
                          @Descriptor("reuse existing destination")
                          @Parameter(names = "--reuse-external", presentValue = "true", absentValue = "false")
                          boolean reuse,
                          @Descriptor("implies --wait, and pivots the disk to the copy when done")
                          @Parameter(names = "--pivot", presentValue = "true", absentValue = "false") boolean pivot,
                          @Descriptor("implies --wait, and ends the copy with the disk unchanged when done")
                          @Parameter(names = "--finish", presentValue = "true", absentValue = "false") boolean finish,
                          @Descriptor("the copy job is not persisted if domain is restarted")
                          @Parameter(names = "--transient-job", presentValue = "true", absentValue = "false")
                          boolean transientJob,
                          @Descriptor("format of the destination file")
                          @Parameter(names = "--format", absentValue = "") String format,
                          @Descriptor("bandwidth limit in MiB/s")
                          @Parameter(names = "--bandwidth", absentValue = "0") long bandwidth,
                          @Descriptor("wait for job to reach mirroring phase")
                          @Parameter(names = "--wait", presentValue = "true", absentValue = "false") boolean wait,
                          @Descriptor("with --wait, display the progress")
                          @Parameter(names = "--verbose", presentValue = "true", absentValue = "false") boolean verbose,
                          @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("fully-qualified path of source disk") String path,
                          @Descriptor("path of the copy to create") String dest) {
        Shell.run(session, null, () -> {
            int flags = (shallow ? BlockJobFlags.COPY_SHALLOW : 0) | (reuse ? BlockJobFlags.COPY_REUSE_EXT : 0)
                | (transientJob ? BlockJobFlags.COPY_TRANSIENT_JOB : 0);
            String xml = "<disk type='file'><source file='" + dest.replace("&", "&amp;").replace("'", "&apos;")
                .replace("<", "&lt;") + "'/>" + (format.isEmpty() ? "" : "<driver type='" + format + "'/>")
                + "</disk>";
            List<TypedParameter> params = bandwidth == 0 ? List.of()
                : List.of(new TypedParameter("bandwidth", TypedParameter.Type.ULLONG, bandwidth << 20));
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                DomainBlockOperations ops = c.blockOperations();
                ops.copy(d, path, xml, params, flags);
                PrintStream out = session.getConsole();
                if (!wait && !pivot && !finish) {
                    out.println("Block Copy started");
                    return;
                }
                follow(ops, d, path, "Block Copy", verbose, out);
                if (pivot) {
                    ops.abortJob(d, path, BlockJobFlags.ABORT_PIVOT);
                    out.println("Successfully pivoted");
                } else if (finish) {
                    ops.abortJob(d, path, 0);
                    out.println("Successfully copied");
                } else {
                    out.println("Now in mirroring phase");
                }
            }
        });
    }

    @Descriptor("Manage active block operations")
    public void blockjob(CommandSession session,
                         @Descriptor("abort the active job on the specified disk")
                         @Parameter(names = "--abort", presentValue = "true", absentValue = "false") boolean abort,
                         @Descriptor("implies --abort; request that the abort be asynchronous")
                         @Parameter(names = "--async", presentValue = "true", absentValue = "false") boolean async,
                         @Descriptor("implies --abort; conclude and pivot a copy or commit job")
                         @Parameter(names = "--pivot", presentValue = "true", absentValue = "false") boolean pivot,
                         @Descriptor("get active job information for the specified disk")
                         @Parameter(names = "--info", presentValue = "true", absentValue = "false") boolean info,
                         @Descriptor("get active job information in raw format")
                         @Parameter(names = "--raw", presentValue = "true", absentValue = "false") boolean raw,
                         @Descriptor("the bandwidth is in bytes/s rather than MiB/s")
                         @Parameter(names = "--bytes", presentValue = "true", absentValue = "false") boolean bytes,
                         @Descriptor("set the bandwidth limit in MiB/s")
                         @Parameter(names = "--bandwidth", absentValue = "-1") long bandwidth,
                         @Descriptor("domain name, id or uuid") String domain,
                         @Descriptor("fully-qualified path of disk") String path) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                DomainBlockOperations ops = c.blockOperations();
                PrintStream out = session.getConsole();
                if (abort || async || pivot) {
                    ops.abortJob(d, path, (async ? BlockJobFlags.ABORT_ASYNC : 0)
                        | (pivot ? BlockJobFlags.ABORT_PIVOT : 0));
                } else if (bandwidth >= 0) {
                    ops.setJobSpeed(d, path, bandwidth, bytes ? BlockJobFlags.INFO_BANDWIDTH_BYTES : 0);
                } else {
                    printInfo(ops.jobInfo(d, path, bytes ? BlockJobFlags.INFO_BANDWIDTH_BYTES : 0), path, raw,
                        bytes, out);
                }
            }
        });
    }

    /** blockjob --info as virsh prints it: the progress bar and the bandwidth, or the raw fields. */
    private static void printInfo(BlockJobInfo job, String path, boolean raw, boolean bytes, PrintStream out) {
        if (job == null) {
            if (!raw) {
                out.println("No current block job for " + path);
            }
            return;
        }
        if (raw) {
            out.println(" type=" + BlockJobFlags.typeLabel(job.type()) + "\n bandwidth=" + job.bandwidth()
                + "\n cur=" + job.cur() + "\n end=" + job.end());
            return;
        }
        out.println(progress(BlockJobFlags.typeLabel(job.type()), job.end() - job.cur(), job.end()));
        if (job.bandwidth() != 0) {
            long perSecond = bytes ? job.bandwidth() : job.bandwidth() << 20;
            out.println(String.format(Locale.ROOT, "    Bandwidth limit: %d bytes/s (%s)", perSecond,
                scaledRate(perSecond)));
        }
    }

    /** virsh's "%-.3lf %s/s" of a rate in its largest binary unit. */
    private static String scaledRate(long perSecond) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = perSecond;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.3f %s/s", value, units[unit]);
    }

    /** virsh's progress line for {@code remaining} of {@code total}. */
    static String progress(String label, long remaining, long total) {
        int percent = total == 0 ? 100 : (int) (100.0 * (total - remaining) / total);
        return String.format(Locale.ROOT, "%s: [%3d %%]", label, percent);
    }

    /**
     * Polls the disk's job until it is gone (true) or has copied everything and waits to be pivoted (false),
     * printing the progress when asked.
     */
    private static boolean follow(DomainBlockOperations ops, DomainRef d, String path, String label, boolean verbose,
                                  PrintStream out) {
        String last = null;
        while (true) {
            BlockJobInfo job = ops.jobInfo(d, path, 0);
            if (job == null || job.end() > 0 && job.cur() == job.end()) {
                if (verbose) {
                    out.println(progress(label, 0, 1));
                }
                return job == null;
            }
            String line = progress(label, job.end() - job.cur(), job.end());
            if (verbose && !line.equals(last)) {
                out.println(line);
                last = line;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShellError("interrupted waiting for the block job of " + path);
            }
        }
    }

    private static String blank(String text) {
        return text.isEmpty() ? null : text;
    }
}
