package org.jvirtd.api.domain;

/**
 * libvirt's numbers for block jobs: the job types and end states of virDomainBlockJobType and
 * virConnectDomainEventBlockJobStatus, and the flags of the block job, commit, rebase, copy and resize calls.
 */
public final class BlockJobFlags {
    public static final int TYPE_UNKNOWN = 0;
    public static final int TYPE_PULL = 1;
    public static final int TYPE_COPY = 2;
    public static final int TYPE_COMMIT = 3;
    public static final int TYPE_ACTIVE_COMMIT = 4;
    public static final int TYPE_BACKUP = 5;

    public static final int STATUS_COMPLETED = 0;
    public static final int STATUS_FAILED = 1;
    public static final int STATUS_CANCELED = 2;
    public static final int STATUS_READY = 3;

    /** VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC: return at once, the event tells the end. */
    public static final int ABORT_ASYNC = 1;
    /** VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT: a ready copy or active commit switches the disk to its target. */
    public static final int ABORT_PIVOT = 2;
    /** VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES and VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES. */
    public static final int INFO_BANDWIDTH_BYTES = 1;

    public static final int COMMIT_SHALLOW = 1;
    public static final int COMMIT_DELETE = 2;
    public static final int COMMIT_ACTIVE = 4;
    public static final int COMMIT_RELATIVE = 8;
    public static final int COMMIT_BANDWIDTH_BYTES = 16;

    public static final int REBASE_SHALLOW = 1;
    public static final int REBASE_REUSE_EXT = 2;
    public static final int REBASE_COPY_RAW = 4;
    public static final int REBASE_COPY = 8;
    public static final int REBASE_RELATIVE = 16;
    public static final int REBASE_COPY_DEV = 32;
    public static final int REBASE_BANDWIDTH_BYTES = 64;

    public static final int COPY_SHALLOW = 1;
    public static final int COPY_REUSE_EXT = 2;
    public static final int COPY_TRANSIENT_JOB = 4;
    public static final int COPY_SYNCHRONOUS_WRITES = 8;

    /** VIR_DOMAIN_BLOCK_RESIZE_BYTES: the size is in bytes, not KiB. */
    public static final int RESIZE_BYTES = 1;

    private BlockJobFlags() {
    }

    /** The words virsh prints for a job type ("Active Block Commit"). */
    public static String typeLabel(int type) {
        return switch (type) {
            case TYPE_PULL -> "Block Pull";
            case TYPE_COPY -> "Block Copy";
            case TYPE_COMMIT -> "Block Commit";
            case TYPE_ACTIVE_COMMIT -> "Active Block Commit";
            case TYPE_BACKUP -> "Backup";
            default -> "Unknown job";
        };
    }

    /** The word virsh prints for an end state ("completed"). */
    public static String statusLabel(int status) {
        return switch (status) {
            case STATUS_COMPLETED -> "completed";
            case STATUS_FAILED -> "failed";
            case STATUS_CANCELED -> "canceled";
            case STATUS_READY -> "ready";
            default -> "unknown";
        };
    }
}
