package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/**
 * VIR_DOMAIN_EVENT_ID_METADATA_CHANGE: a domain's description (type 0), title (1) or the metadata element in
 * namespace {@code uri} (2, null for the others) was set or removed.
 */
public record DomainMetadataChange(String driver, DomainRef domain, int type, String uri) {
    private static final String[] TYPES = {"description", "title", "element"};

    /** The line {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'metadata-change' for domain '" + domain.name() + "': type "
            + (type >= 0 && type < TYPES.length ? TYPES[type] : "unknown") + ", uri " + (uri == null ? "<null>" : uri);
    }
}
