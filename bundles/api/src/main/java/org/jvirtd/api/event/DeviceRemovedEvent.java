package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/** VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED: the hypervisor has let go of the device with alias {@code alias}. */
public record DeviceRemovedEvent(String driver, DomainRef domain, String alias) {
    /** The line {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'device-removed' for domain '" + domain.name() + "': " + alias;
    }
}
