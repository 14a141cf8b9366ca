package org.jvirtd.core.internal;

import java.util.List;
import java.util.function.Supplier;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.DomainBackups;
import org.jvirtd.api.domain.CheckpointRef;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.driver.HypervisorDriver;

/**
 * The checkpoint, backup and domain job calls of one connection: the read-only connection and the flags
 * are checked here as libvirt's entry points and QEMU driver check them, the work is the driver's
 * {@code BackupOperations}.
 */
final class CoreBackups implements DomainBackups {
    /** virDomainCheckpointCreateFlags: REDEFINE, QUIESCE, REDEFINE_VALIDATE. */
    private static final int CREATE_FLAGS = 1 | 2 | 4;
    /** virDomainCheckpointListFlags: ROOTS/DESCENDANTS, TOPOLOGICAL, LEAVES, NO_LEAVES. */
    private static final int LIST_FLAGS = 1 | 2 | 4 | 8;
    /** virDomainCheckpointXMLFlags: SECURE, NO_DOMAIN, SIZE. */
    private static final int XML_FLAGS = 1 | 2 | 4;
    /** virDomainCheckpointDeleteFlags: CHILDREN, METADATA_ONLY, CHILDREN_ONLY. */
    private static final int DELETE_FLAGS = 1 | 2 | 4;
    /** VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL. */
    private static final int BACKUP_FLAGS = 1;

    private final boolean readOnly;
    private final Supplier<HypervisorDriver> driver;
    private final DriverDomains domains;

    CoreBackups(boolean readOnly, Supplier<HypervisorDriver> driver, DriverDomains domains) {
        this.readOnly = readOnly;
        this.driver = driver;
        this.domains = domains;
    }

    @Override
    public CheckpointRef createCheckpoint(DomainRef domain, String xml, int flags) {
        writable("virDomainCheckpointCreateXML");
        checkFlags(flags, CREATE_FLAGS, "DomainCheckpointCreateXML");
        return new CheckpointRef(domain, domains.onDomain(domain,
            (h, hv) -> hv.backupOperations().createCheckpoint(h, xml, flags)));
    }

    @Override
    public List<CheckpointRef> listCheckpoints(DomainRef domain, int flags) {
        checkFlags(flags, LIST_FLAGS, "DomainListAllCheckpoints");
        return domains.onDomain(domain, (h, hv) -> hv.backupOperations().listCheckpoints(h, flags)).stream()
            .map(name -> new CheckpointRef(domain, name)).toList();
    }

    @Override
    public List<CheckpointRef> listChildren(CheckpointRef checkpoint, int flags) {
        checkFlags(flags, LIST_FLAGS, "DomainCheckpointListAllChildren");
        return domains.onDomain(checkpoint.domain(), (h, hv) -> hv.backupOperations().listChildren(h,
            checkpoint.name(), flags)).stream().map(name -> new CheckpointRef(checkpoint.domain(), name)).toList();
    }

    @Override
    public CheckpointRef lookupCheckpoint(DomainRef domain, String name, int flags) {
        checkFlags(flags, 0, "DomainCheckpointLookupByName");
        domains.onDomain(domain, (h, hv) -> {
            hv.backupOperations().requireCheckpoint(h, name);
            return null;
        });
        return new CheckpointRef(domain, name);
    }

    @Override
    public String checkpointXml(CheckpointRef checkpoint, int flags) {
        checkFlags(flags, XML_FLAGS, "DomainCheckpointGetXMLDesc");
        return domains.onDomain(checkpoint.domain(), (h, hv) -> hv.backupOperations().checkpointXml(h,
            checkpoint.name(), flags));
    }

    @Override
    public CheckpointRef checkpointParent(CheckpointRef checkpoint, int flags) {
        checkFlags(flags, 0, "DomainCheckpointGetParent");
        return new CheckpointRef(checkpoint.domain(), domains.onDomain(checkpoint.domain(),
            (h, hv) -> hv.backupOperations().checkpointParent(h, checkpoint.name())));
    }

    @Override
    public void deleteCheckpoint(CheckpointRef checkpoint, int flags) {
        writable("virDomainCheckpointDelete");
        checkFlags(flags, DELETE_FLAGS, "DomainCheckpointDelete");
        domains.onDomain(checkpoint.domain(), (h, hv) -> {
            hv.backupOperations().deleteCheckpoint(h, checkpoint.name(), flags);
            return null;
        });
    }

    @Override
    public void backupBegin(DomainRef domain, String backupXml, String checkpointXml, int flags) {
        writable("virDomainBackupBegin");
        checkFlags(flags, BACKUP_FLAGS, "DomainBackupBegin");
        domains.onRunning(domain, (h, hv) -> {
            hv.backupOperations().backupBegin(h, backupXml, checkpointXml, flags);
            return null;
        });
    }

    @Override
    public String backupXml(DomainRef domain, int flags) {
        checkFlags(flags, 0, "DomainBackupGetXMLDesc");
        return domains.onRunning(domain, (h, hv) -> hv.backupOperations().backupXml(h));
    }

    @Override
    public DomainJobStats jobStats(DomainRef domain, int flags) {
        checkFlags(flags, DomainJobStats.STATS_COMPLETED | DomainJobStats.STATS_KEEP_COMPLETED, "DomainGetJobStats");
        return domains.onDomain(domain, (h, hv) -> h.id() < 0 && (flags & DomainJobStats.STATS_COMPLETED) == 0
            ? DomainJobStats.none() : hv.backupOperations().jobStats(h, flags));
    }

    @Override
    public void abortJob(DomainRef domain, int flags) {
        writable("virDomainAbortJob");
        checkFlags(flags, 0, "DomainAbortJobFlags");
        domains.onRunning(domain, (h, hv) -> {
            hv.backupOperations().abortJob(h);
            return null;
        });
    }

    private void writable(String api) {
        if (readOnly) {
            throw VirtErrors.readOnly(api);
        }
    }

    private void checkFlags(int flags, int known, String api) {
        HypervisorDriver hv = driver.get();
        VirtErrors.checkFlags(hv.errorDomain(), flags, known, hv.name() + api);
    }
}
