package org.jvirtd.api.driver;

import java.util.List;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainJobStats;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver's checkpoints (named by their names within the domain), backups and domain job. Core has checked
 * the flags and the read-only connection; the domain may be running or not unless a method says otherwise.
 * Each defaults to "not supported".
 */
@ConsumerType
public interface BackupOperations {
    /** Creates a checkpoint from its XML; returns its name. */
    default String createCheckpoint(DomainHandle domain, String xml, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointCreateXML");
    }

    /** The checkpoints' names, with virDomainListAllCheckpoints' filter flags. */
    default List<String> listCheckpoints(DomainHandle domain, int flags) {
        throw VirtErrors.noSupport("virDomainListAllCheckpoints");
    }

    default List<String> listChildren(DomainHandle domain, String checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointListAllChildren");
    }

    /** Fails with VIR_ERR_NO_DOMAIN_CHECKPOINT when there is none of that name. */
    default void requireCheckpoint(DomainHandle domain, String checkpoint) {
        throw VirtErrors.noSupport("virDomainCheckpointLookupByName");
    }

    default String checkpointXml(DomainHandle domain, String checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointGetXMLDesc");
    }

    /** The parent's name; fails when the checkpoint has none. */
    default String checkpointParent(DomainHandle domain, String checkpoint) {
        throw VirtErrors.noSupport("virDomainCheckpointGetParent");
    }

    default void deleteCheckpoint(DomainHandle domain, String checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointDelete");
    }

    /** Starts a push backup of a running domain. */
    default void backupBegin(DomainHandle domain, String backupXml, String checkpointXml, int flags) {
        throw VirtErrors.noSupport("virDomainBackupBegin");
    }

    default String backupXml(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainBackupGetXMLDesc");
    }

    /** The running job's figures, or with STATS_COMPLETED the last completed one's. */
    default DomainJobStats jobStats(DomainHandle domain, int flags) {
        return DomainJobStats.none();
    }

    default void abortJob(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainAbortJob");
    }
}
