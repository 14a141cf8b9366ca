package org.jvirtd.core.internal;

import java.util.List;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.DomainSnapshots;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotRef;

/** A connection's view of its driver's snapshots: refuses changes on a read-only connection, then delegates. */
final class CoreDomainSnapshots implements DomainSnapshots {
    private final DriverSnapshots snapshots;
    private final boolean readOnly;

    CoreDomainSnapshots(DriverSnapshots snapshots, boolean readOnly) {
        this.snapshots = snapshots;
        this.readOnly = readOnly;
    }

    private void writable(String api) {
        if (readOnly) {
            throw VirtErrors.readOnly(api);
        }
    }

    @Override
    public SnapshotRef create(DomainRef domain, String xml, int flags) {
        writable("virDomainSnapshotCreateXML");
        return snapshots.create(domain, xml, flags);
    }

    @Override
    public String xml(SnapshotRef snapshot, int flags) {
        if (readOnly && (flags & org.jvirtd.api.snapshot.SnapshotFlags.XML_SECURE) != 0) {
            throw VirtErrors.readOnly("virDomainSnapshotGetXMLDesc");
        }
        return snapshots.xml(snapshot, flags);
    }

    @Override
    public List<SnapshotRef> listAll(DomainRef domain, int flags) {
        return snapshots.listAll(domain, flags);
    }

    @Override
    public List<SnapshotRef> listChildren(SnapshotRef snapshot, int flags) {
        return snapshots.listChildren(snapshot, flags);
    }

    @Override
    public SnapshotRef lookupByName(DomainRef domain, String name, int flags) {
        return snapshots.lookupByName(domain, name, flags);
    }

    @Override
    public boolean hasCurrent(DomainRef domain, int flags) {
        return snapshots.hasCurrent(domain, flags);
    }

    @Override
    public SnapshotRef current(DomainRef domain, int flags) {
        return snapshots.current(domain, flags);
    }

    @Override
    public SnapshotRef parent(SnapshotRef snapshot, int flags) {
        return snapshots.parent(snapshot, flags);
    }

    @Override
    public boolean isCurrent(SnapshotRef snapshot, int flags) {
        return snapshots.isCurrent(snapshot, flags);
    }

    @Override
    public boolean hasMetadata(SnapshotRef snapshot, int flags) {
        return snapshots.hasMetadata(snapshot, flags);
    }

    @Override
    public void revert(SnapshotRef snapshot, int flags) {
        writable("virDomainRevertToSnapshot");
        snapshots.revert(snapshot, flags);
    }

    @Override
    public void delete(SnapshotRef snapshot, int flags) {
        writable("virDomainSnapshotDelete");
        snapshots.delete(snapshot, flags);
    }
}
