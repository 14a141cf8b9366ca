package org.jvirtd.api.event;

import org.jvirtd.api.domain.BlockJobFlags;
import org.jvirtd.api.domain.DomainRef;

/**
 * A block job of a domain's disk became ready or ended: VIR_DOMAIN_EVENT_ID_BLOCK_JOB names the disk by its
 * top image's {@code path}, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 by its target {@code disk}; {@code type} and
 * {@code status} are {@link BlockJobFlags}' numbers.
 */
public record BlockJobEvent(String driver, DomainRef domain, String disk, String path, int type, int status) {
    /** The line {@code virsh event} prints for the BLOCK_JOB_2 form, without the timestamp. */
    public String describe() {
        return "event 'block-job-2' for domain '" + domain.name() + "': " + BlockJobFlags.typeLabel(type) + " for "
            + disk + " " + BlockJobFlags.statusLabel(status);
    }
}
