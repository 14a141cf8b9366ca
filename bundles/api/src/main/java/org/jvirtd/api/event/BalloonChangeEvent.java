package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/** VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE: the guest's balloon now leaves it {@code actualKiB} of memory. */
public record BalloonChangeEvent(String driver, DomainRef domain, long actualKiB) {
    /** The line {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'balloon-change' for domain '" + domain.name() + "': " + actualKiB + "KiB";
    }
}
