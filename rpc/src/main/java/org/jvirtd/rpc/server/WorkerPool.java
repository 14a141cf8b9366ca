package org.jvirtd.rpc.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jvirtd.rpc.dispatch.Priority;

/**
 * libvirtd's worker pool: between {@code min} and {@code max} workers take calls in arrival order,
 * and {@code prio} extra workers take only high-priority calls, so lookups keep flowing while every
 * ordinary worker waits on a slow hypervisor. A call wakes one worker that can take it, not all of
 * them: waking every idle worker per call cost more than the call itself; and it wakes the one that went
 * idle last, whose stack and data are still in the CPU's caches, where a condition's queue would wake the
 * one idle longest (on one connection, every call on another thread). The limits change at runtime
 * (virt-admin server-threadpool-set); a worker over a lowered limit leaves only between calls, so no
 * call is cut short or dropped.
 */
final class WorkerPool {
    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private record Job(Runnable task, Priority priority) {
    }

    private final String name;
    private long minWorkers;
    private long maxWorkers;
    private long prioWorkers;
    private final Deque<Job> jobs = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    // each waiting and not yet signalled worker's own condition, the last to go idle at the end; AQS
    // conditions do not wake spuriously, so these stay exact
    private final Deque<Condition> idleWorkers = new ArrayDeque<>();
    private final Deque<Condition> idlePriorityWorkers = new ArrayDeque<>();
    private int workers;
    private int priorityWorkers;
    private int threadNumber;
    private boolean stopped;

    WorkerPool(String name, int minWorkers, int maxWorkers, int prioWorkers) {
        this.name = name;
        this.maxWorkers = Math.max(1, maxWorkers);
        this.minWorkers = Math.min(Math.max(0, minWorkers), this.maxWorkers);
        this.prioWorkers = Math.max(0, prioWorkers);
        lock.lock();
        try {
            grow();
        } finally {
            lock.unlock();
        }
    }

    /** The pool as virt-admin server-threadpool-info shows it. */
    ThreadPoolInfo info() {
        lock.lock();
        try {
            return new ThreadPoolInfo(minWorkers, maxWorkers, workers, idleWorkers.size(), prioWorkers, jobs.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes the limits; a null leaves that one as it is. Raising them starts workers at once, lowering
     * them lets surplus workers leave as soon as they are between calls.
     *
     * @throws IllegalArgumentException with libvirt's message when min would exceed max, or max would
     *     change between zero and non-zero
     */
    void resize(Long newMin, Long newMax, Long newPrio) {
        lock.lock();
        try {
            long min = newMin == null ? minWorkers : newMin;
            long max = newMax == null ? maxWorkers : newMax;
            if (min > max) {
                throw new IllegalArgumentException("minWorkers cannot be larger than maxWorkers");
            }
            if ((max == 0) != (maxWorkers == 0)) {
                throw new IllegalArgumentException("maxWorkers must not be switched from zero to non-zero and vice versa");
            }
            minWorkers = min;
            maxWorkers = max;
            if (newPrio != null) {
                prioWorkers = newPrio;
            }
            grow();
            // every idle worker looks again: surplus ones leave, the rest go back to waiting
            wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /** Starts workers up to min, one per queued call up to max, and prio workers up to their count. */
    private void grow() {
        while (workers < minWorkers) {
            spawn(false);
        }
        for (int queued = jobs.size() - idleWorkers.size(); queued > 0 && workers < maxWorkers; queued--) {
            spawn(false);
        }
        while (priorityWorkers < prioWorkers) {
            spawn(true);
        }
    }

    void submit(Runnable task, Priority priority) {
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("worker pool stopped");
            }
            jobs.addLast(new Job(task, priority));
            if (!idleWorkers.isEmpty()) {
                idleWorkers.pollLast().signal();
                return;
            }
            if (workers < maxWorkers) {
                spawn(false);
            }
            if (priority == Priority.HIGH && !idlePriorityWorkers.isEmpty()) {
                idlePriorityWorkers.pollLast().signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        List<Thread> running;
        lock.lock();
        try {
            stopped = true;
            jobs.clear();
            wakeAll();
            running = new ArrayList<>(threads);
        } finally {
            lock.unlock();
        }
        for (Thread thread : running) {
            thread.interrupt();
        }
    }

    private void wakeAll() {
        idleWorkers.forEach(Condition::signal);
        idlePriorityWorkers.forEach(Condition::signal);
        idleWorkers.clear();
        idlePriorityWorkers.clear();
    }

    private void spawn(boolean priorityOnly) {
        if (priorityOnly) {
            priorityWorkers++;
        } else {
            workers++;
        }
        String kind = priorityOnly ? "prio" : "worker";
        Condition wakeUp = lock.newCondition();
        Thread thread = new Thread(() -> work(priorityOnly, wakeUp), name + "-" + kind + "-" + threadNumber++);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void work(boolean priorityOnly, Condition wakeUp) {
        while (true) {
            Job job = next(priorityOnly, wakeUp);
            if (job == null) {
                return;
            }
            try {
                job.task().run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "worker job failed", e);
            }
        }
    }

    /** The next job this worker may run, waiting for one; null once the pool stopped or has a worker too many. */
    private Job next(boolean priorityOnly, Condition wakeUp) {
        lock.lock();
        try {
            Job job = null;
            while (!leaveIfSurplus(priorityOnly) && (job = take(priorityOnly)) == null) {
                if (stopped) {
                    return null;
                }
                // an interrupt a job left behind must not end the wait (stop() signals, it does not rely on it)
                Thread.interrupted();
                Deque<Condition> idle = priorityOnly ? idlePriorityWorkers : idleWorkers;
                idle.addLast(wakeUp);
                try {
                    wakeUp.await();
                } catch (InterruptedException e) {
                    // an interrupted waiter was not signalled: it is no longer idle
                    idle.removeLastOccurrence(wakeUp);
                }
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the calling worker when the limits were lowered below the workers running. */
    private boolean leaveIfSurplus(boolean priorityOnly) {
        if (priorityOnly ? priorityWorkers <= prioWorkers : workers <= maxWorkers) {
            return false;
        }
        if (priorityOnly) {
            priorityWorkers--;
        } else {
            workers--;
        }
        threads.remove(Thread.currentThread());
        return true;
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
