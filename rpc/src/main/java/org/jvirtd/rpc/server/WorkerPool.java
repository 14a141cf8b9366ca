package org.jvirtd.rpc.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.jvirtd.rpc.dispatch.Priority;

/**
 * libvirtd's worker pool: between {@code min} and {@code max} workers take calls in arrival order,
 * and {@code prio} extra workers take only high-priority calls, so lookups keep flowing while every
 * ordinary worker waits on a slow hypervisor.
 */
final class WorkerPool {
    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private record Job(Runnable task, Priority priority) {
    }

    private final String name;
    private final int maxWorkers;
    private final Deque<Job> jobs = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private int workers;
    private int idleWorkers;
    private boolean stopped;

    WorkerPool(String name, int minWorkers, int maxWorkers, int prioWorkers) {
        this.name = name;
        this.maxWorkers = Math.max(1, maxWorkers);
        synchronized (this) {
            for (int i = 0; i < Math.min(Math.max(0, minWorkers), this.maxWorkers); i++) {
                spawn(false);
            }
            for (int i = 0; i < prioWorkers; i++) {
                spawn(true);
            }
        }
    }

    synchronized void submit(Runnable task, Priority priority) {
        if (stopped) {
            throw new IllegalStateException("worker pool stopped");
        }
        jobs.addLast(new Job(task, priority));
        if (idleWorkers == 0 && workers < maxWorkers) {
            spawn(false);
        }
        notifyAll();
    }

    void stop() {
        List<Thread> running;
        synchronized (this) {
            stopped = true;
            jobs.clear();
            notifyAll();
            running = new ArrayList<>(threads);
        }
        for (Thread thread : running) {
            thread.interrupt();
        }
    }

    private void spawn(boolean priorityOnly) {
        if (!priorityOnly) {
            workers++;
        }
        String kind = priorityOnly ? "prio" : "worker";
        Thread thread = new Thread(() -> work(priorityOnly), name + "-" + kind + "-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void work(boolean priorityOnly) {
        while (true) {
            Job job;
            synchronized (this) {
                while ((job = take(priorityOnly)) == null) {
                    if (stopped) {
                        return;
                    }
                    idleWorkers += priorityOnly ? 0 : 1;
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        if (stopped) {
                            return;
                        }
                    } finally {
                        idleWorkers -= priorityOnly ? 0 : 1;
                    }
                }
            }
            try {
                job.task().run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "worker job failed", e);
            }
        }
    }

    private Job take(boolean priorityOnly) {
        if (stopped) {
            return null;
        }
        if (!priorityOnly) {
            return jobs.pollFirst();
        }
        for (Iterator<Job> it = jobs.iterator(); it.hasNext();) {
            Job job = it.next();
            if (job.priority() == Priority.HIGH) {
                it.remove();
                return job;
            }
        }
        return null;
    }
}
