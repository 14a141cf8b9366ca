package org.jvirtd.api.driver;

import java.util.List;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.BlockJobInfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver's operations on the disks of a running domain: resize, write threshold and the block jobs
 * (commit, pull, copy) with their control. Core has checked the flags, the read-only connection and that
 * the domain runs; {@code disk} is what the caller named (target or source path). Like the driver table,
 * each defaults to "not supported".
 */
@ConsumerType
public interface BlockOperations {
    /** virDomainBlockResize, the new size in bytes. */
    default void resize(DomainHandle domain, String disk, long bytes) {
        throw VirtErrors.noSupport("virDomainBlockResize");
    }

    /** virDomainSetBlockThreshold: one BLOCK_THRESHOLD event when a write passes {@code threshold} bytes. */
    default void setThreshold(DomainHandle domain, String disk, long threshold) {
        throw VirtErrors.noSupport("virDomainSetBlockThreshold");
    }

    /** virDomainBlockCommit: merges {@code top} (null: the active layer) down into {@code base} (null: the last). */
    default void commit(DomainHandle domain, String disk, String base, String top, long bandwidthBytes, int flags) {
        throw VirtErrors.noSupport("virDomainBlockCommit");
    }

    /** virDomainBlockRebase without COPY (and virDomainBlockPull): pulls the layers above {@code base} into the top. */
    default void pull(DomainHandle domain, String disk, String base, long bandwidthBytes, int flags) {
        throw VirtErrors.noSupport("virDomainBlockPull");
    }

    /** virDomainBlockCopy (and virDomainBlockRebase with COPY): mirrors the disk to the {@code <disk>} given. */
    default void copy(DomainHandle domain, String disk, String destinationXml, List<TypedParameter> params,
                      int flags) {
        throw VirtErrors.noSupport("virDomainBlockCopy");
    }

    /** virDomainGetBlockJobInfo: the disk's job, or null when it has none. */
    default BlockJobInfo jobInfo(DomainHandle domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainGetBlockJobInfo");
    }

    /** virDomainBlockJobAbort: cancels the disk's job, or with ABORT_PIVOT switches to its target. */
    default void abortJob(DomainHandle domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainBlockJobAbort");
    }

    /** virDomainBlockJobSetSpeed, in bytes per second (0: unlimited). */
    default void setJobSpeed(DomainHandle domain, String disk, long bandwidthBytes) {
        throw VirtErrors.noSupport("virDomainBlockJobSetSpeed");
    }
}
