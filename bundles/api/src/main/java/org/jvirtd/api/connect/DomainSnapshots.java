package org.jvirtd.api.connect;

import java.util.List;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's domain snapshot API (virDomainSnapshot*) of one connection, what virsh's snapshot-* commands and
 * the RPC server use. Flag values are in {@link org.jvirtd.api.snapshot.SnapshotFlags}; every method throws
 * {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure.
 */
@ProviderType
public interface DomainSnapshots {
    /** virDomainSnapshotCreateXML: takes (or with REDEFINE records) a snapshot of the domain. */
    SnapshotRef create(DomainRef domain, String xml, int flags);

    /** virDomainSnapshotGetXMLDesc. */
    String xml(SnapshotRef snapshot, int flags);

    /** virDomainListAllSnapshots: the domain's snapshots the list flags select, in creation order. */
    List<SnapshotRef> listAll(DomainRef domain, int flags);

    /** virDomainSnapshotListAllChildren: the children (with DESCENDANTS all descendants) the flags select. */
    List<SnapshotRef> listChildren(SnapshotRef snapshot, int flags);

    SnapshotRef lookupByName(DomainRef domain, String name, int flags);

    boolean hasCurrent(DomainRef domain, int flags);

    /** virDomainSnapshotCurrent: fails when the domain has no current snapshot. */
    SnapshotRef current(DomainRef domain, int flags);

    /** virDomainSnapshotGetParent: fails for a root snapshot. */
    SnapshotRef parent(SnapshotRef snapshot, int flags);

    boolean isCurrent(SnapshotRef snapshot, int flags);

    boolean hasMetadata(SnapshotRef snapshot, int flags);

    /** virDomainRevertToSnapshot. */
    void revert(SnapshotRef snapshot, int flags);

    /** virDomainSnapshotDelete. */
    void delete(SnapshotRef snapshot, int flags);
}
