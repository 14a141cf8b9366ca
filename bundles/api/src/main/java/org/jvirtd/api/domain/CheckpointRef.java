package org.jvirtd.api.domain;

/** A domain checkpoint as clients name it (remote_nonnull_domain_checkpoint): its domain and its name. */
public record CheckpointRef(DomainRef domain, String name) {
}
