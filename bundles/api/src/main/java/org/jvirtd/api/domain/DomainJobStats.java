package org.jvirtd.api.domain;

import java.util.List;

import org.jvirtd.api.TypedParameter;

/**
 * virDomainGetJobStats: the job's type (virDomainJobType: 0 none, 1 bounded, 2 unbounded, 3 completed,
 * 4 failed, 5 cancelled) and its typed figures ("operation", "time_elapsed", "disk_total", ...).
 */
public record DomainJobStats(int type, List<TypedParameter> params) {
    public static final int NONE = 0;
    public static final int UNBOUNDED = 2;
    public static final int COMPLETED = 3;
    public static final int FAILED = 4;
    public static final int CANCELLED = 5;
    /** VIR_DOMAIN_JOB_OPERATION_BACKUP. */
    public static final int OPERATION_BACKUP = 9;
    /** VIR_DOMAIN_JOB_STATS_COMPLETED: the last completed job instead of the running one. */
    public static final int STATS_COMPLETED = 1;
    /** VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED: reading the completed job's figures keeps them. */
    public static final int STATS_KEEP_COMPLETED = 2;

    public static DomainJobStats none() {
        return new DomainJobStats(NONE, List.of());
    }

    /** A figure by name, or null. */
    public Object value(String field) {
        return params.stream().filter(p -> p.field().equals(field)).map(TypedParameter::value).findFirst()
            .orElse(null);
    }
}
