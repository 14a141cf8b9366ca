package org.jvirtd.api.domain;

import java.util.List;

import org.jvirtd.api.TypedParameter;

/** One virDomainStatsRecord: a domain and its statistics as typed parameters ("state.state", "cpu.time", ...). */
public record DomainStats(DomainRef domain, List<TypedParameter> params) {
    /** virDomainStatsTypes: the groups a caller may ask for. */
    public static final int STATE = 1;
    public static final int CPU_TOTAL = 1 << 1;
    public static final int BALLOON = 1 << 2;
    public static final int VCPU = 1 << 3;
    public static final int INTERFACE = 1 << 4;
    public static final int BLOCK = 1 << 5;
    public static final int PERF = 1 << 6;
    public static final int IOTHREAD = 1 << 7;
    public static final int MEMORY = 1 << 8;
    public static final int DIRTYRATE = 1 << 9;

    /** virConnectGetAllDomainStatsFlags that are not list filters. */
    public static final int ENFORCE_STATS = 1 << 31;
    public static final int BACKING = 1 << 30;
    public static final int NOWAIT = 1 << 29;
}
