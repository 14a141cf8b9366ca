package org.jvirtd.api.connect;

import java.util.List;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The public block calls of a connection, with libvirt's arguments and flags ({@code BlockJobFlags}):
 * resize, write threshold, commit, pull/rebase, copy and the control of a running block job.
 */
@ProviderType
public interface DomainBlockOperations {
    default void resize(DomainRef domain, String disk, long size, int flags) {
        throw VirtErrors.noSupport("virDomainBlockResize");
    }

    default void setThreshold(DomainRef domain, String disk, long threshold, int flags) {
        throw VirtErrors.noSupport("virDomainSetBlockThreshold");
    }

    default void commit(DomainRef domain, String disk, String base, String top, long bandwidth, int flags) {
        throw VirtErrors.noSupport("virDomainBlockCommit");
    }

    /** virDomainBlockPull ({@code base} null) and virDomainBlockRebase (with REBASE_COPY: a copy to {@code base}). */
    default void rebase(DomainRef domain, String disk, String base, long bandwidth, int flags) {
        throw VirtErrors.noSupport("virDomainBlockRebase");
    }

    /** virDomainBlockPull: pulls the whole backing chain into the top image. */
    default void pull(DomainRef domain, String disk, long bandwidth, int flags) {
        throw VirtErrors.noSupport("virDomainBlockPull");
    }

    default void copy(DomainRef domain, String disk, String destinationXml, List<TypedParameter> params, int flags) {
        throw VirtErrors.noSupport("virDomainBlockCopy");
    }

    /** The disk's job, or null when it has none. */
    default BlockJobInfo jobInfo(DomainRef domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainGetBlockJobInfo");
    }

    default void abortJob(DomainRef domain, String disk, int flags) {
        throw VirtErrors.noSupport("virDomainBlockJobAbort");
    }

    default void setJobSpeed(DomainRef domain, String disk, long bandwidth, int flags) {
        throw VirtErrors.noSupport("virDomainBlockJobSetSpeed");
    }
}
