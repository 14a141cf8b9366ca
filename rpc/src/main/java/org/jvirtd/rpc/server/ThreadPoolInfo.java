package org.jvirtd.rpc.server;

/**
 * A server's worker pool as virt-admin server-threadpool-info shows it.
 *
 * @param workers ordinary workers running, busy or idle
 * @param freeWorkers ordinary workers waiting for a call
 * @param queued calls waiting for a worker
 */
public record ThreadPoolInfo(long minWorkers, long maxWorkers, long workers, long freeWorkers, long prioWorkers,
                             long queued) {
}
