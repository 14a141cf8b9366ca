package org.jvirtd.rpc.admin;

import java.util.List;
import java.util.Set;

import org.jvirtd.rpc.admin.AdminTypes.TypedParam;
import org.jvirtd.rpc.server.ThreadPoolInfo;

/** A worker pool as typed parameters, with libvirt's VIR_THREADPOOL_* names. */
final class ThreadPoolParams {
    static final String MIN_WORKERS = "minWorkers";
    static final String MAX_WORKERS = "maxWorkers";
    static final String PRIO_WORKERS = "prioWorkers";
    /** The ones server-threadpool-set may change; the others are counters. */
    static final Set<String> SETTABLE = Set.of(MIN_WORKERS, MAX_WORKERS, PRIO_WORKERS);

    private ThreadPoolParams() {
    }

    static List<TypedParam> of(ThreadPoolInfo pool) {
        return List.of(
            TypedParam.uint(MIN_WORKERS, pool.minWorkers()),
            TypedParam.uint(MAX_WORKERS, pool.maxWorkers()),
            TypedParam.uint("nWorkers", pool.workers()),
            TypedParam.uint("freeWorkers", pool.freeWorkers()),
            TypedParam.uint(PRIO_WORKERS, pool.prioWorkers()),
            TypedParam.uint("jobQueueDepth", pool.queued()));
    }
}
