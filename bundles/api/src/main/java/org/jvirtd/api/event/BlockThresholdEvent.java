package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/**
 * VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD: a write reached the threshold set on disk {@code disk} (image
 * {@code path}), by {@code excess} bytes. The threshold fires once; it must be set again.
 */
public record BlockThresholdEvent(String driver, DomainRef domain, String disk, String path, long threshold,
                                  long excess) {
    /** The line {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'block-threshold' for domain '" + domain.name() + "': dev: " + disk + "(" + path + ") "
            + Long.toUnsignedString(threshold) + " " + Long.toUnsignedString(excess);
    }
}
