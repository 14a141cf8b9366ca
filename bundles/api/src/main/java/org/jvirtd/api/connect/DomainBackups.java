package org.jvirtd.api.connect;

import java.util.List;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.CheckpointRef;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The checkpoint, backup and domain job calls of a connection, with libvirt's arguments and flags:
 * checkpoints (virDomainCheckpoint*), backup-begin and its XML, and the domain job's info, stats and abort.
 */
@ProviderType
public interface DomainBackups {
    default CheckpointRef createCheckpoint(DomainRef domain, String xml, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointCreateXML");
    }

    default List<CheckpointRef> listCheckpoints(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainListAllCheckpoints");
    }

    default List<CheckpointRef> listChildren(CheckpointRef checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointListAllChildren");
    }

    default CheckpointRef lookupCheckpoint(DomainRef domain, String name, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointLookupByName");
    }

    default String checkpointXml(CheckpointRef checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointGetXMLDesc");
    }

    default CheckpointRef checkpointParent(CheckpointRef checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointGetParent");
    }

    default void deleteCheckpoint(CheckpointRef checkpoint, int flags) {
        throw VirtErrors.noSupport("virDomainCheckpointDelete");
    }

    /** virDomainBackupBegin: {@code checkpointXml} (may be null) makes a checkpoint at the backup's instant. */
    default void backupBegin(DomainRef domain, String backupXml, String checkpointXml, int flags) {
        throw VirtErrors.noSupport("virDomainBackupBegin");
    }

    default String backupXml(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainBackupGetXMLDesc");
    }

    /** virDomainGetJobStats (and virDomainGetJobInfo, its older form). */
    default DomainJobStats jobStats(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetJobStats");
    }

    default void abortJob(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainAbortJob");
    }
}
