package org.jvirtd.api.event;

import java.util.List;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.domain.DomainRef;

/**
 * VIR_DOMAIN_EVENT_ID_TUNABLE: tunables of a running domain changed; {@code params} name them as libvirt's
 * VIR_DOMAIN_TUNABLE_* fields ("cputune.vcpupin1", "cputune.cpu_shares", "blkdeviotune.disk", ...).
 */
public record TunableEvent(String driver, DomainRef domain, List<TypedParameter> params) {
    public TunableEvent {
        params = List.copyOf(params);
    }

    /** The lines {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        StringBuilder out = new StringBuilder("event 'tunable' for domain '" + domain.name() + "':");
        for (TypedParameter p : params) {
            out.append("\n\t").append(p.field()).append(": ").append(p.value());
        }
        return out.toString();
    }
}
