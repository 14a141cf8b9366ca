package org.jvirtd.api.snapshot;

import java.util.Objects;

import org.jvirtd.api.domain.DomainRef;

/** A domain snapshot as clients name it (libvirt's remote_nonnull_domain_snapshot): its name and its domain. */
public record SnapshotRef(DomainRef domain, String name) {
    public SnapshotRef {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(name, "name");
    }
}
