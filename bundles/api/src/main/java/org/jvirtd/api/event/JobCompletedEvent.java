package org.jvirtd.api.event;

import java.util.List;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.domain.DomainRef;

/**
 * VIR_DOMAIN_EVENT_ID_JOB_COMPLETED: a domain job (a backup, ...) ended; {@code params} are the job's final
 * figures, the typed parameters virDomainGetJobStats gives for the completed job ("operation", "time_elapsed",
 * "disk_total", ...).
 */
public record JobCompletedEvent(String driver, DomainRef domain, List<TypedParameter> params) {
    public JobCompletedEvent {
        params = List.copyOf(params);
    }

    /** The lines {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        StringBuilder out = new StringBuilder("event 'job-completed' for domain '" + domain.name() + "':");
        for (TypedParameter p : params) {
            out.append("\n\t").append(p.field()).append(": ").append(p.value());
        }
        return out.toString();
    }
}
