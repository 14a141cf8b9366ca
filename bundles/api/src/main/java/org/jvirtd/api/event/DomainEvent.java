package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/**
 * A lifecycle event of one domain of one driver (virConnectDomainEventCallback's arguments).
 */
public record DomainEvent(String driver, DomainRef domain, DomainEventType type, int detail) {
    /** The line {@code virsh event --all} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'lifecycle' for domain '" + domain.name() + "': " + type.label() + " "
            + type.detailLabel(detail);
    }
}
