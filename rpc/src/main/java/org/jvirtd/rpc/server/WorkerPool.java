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
 * them: waking every idle worker per call cost more than the call itself.
 */
final class WorkerPool {
    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private record Job(Runnable task, Priority priority) {
    }

    private final String name;
    private final int maxWorkers;
    private final Deque<Job> jobs = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ordinaryWork = lock.newCondition();
    private final Condition priorityWork = lock.newCondition();
    private int workers;
    // waiting and not yet signalled; AQS conditions do not wake spuriously, so these stay exact
    private int idleWorkers;
    private int idlePriorityWorkers;
    private boolean stopped;

    WorkerPool(String name, int minWorkers, int maxWorkers, int prioWorkers) {
        this.name = name;
        this.maxWorkers = Math.max(1, maxWorkers);
        lock.lock();
        try {
            for (int i = 0; i < Math.min(Math.max(0, minWorkers), this.maxWorkers); i++) {
                spawn(false);
            }
            for (int i = 0; i < prioWorkers; i++) {
                spawn(true);
            }
        } finally {
            lock.unlock();
        }
    }

    void submit(Runnable task, Priority priority) {
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("worker pool stopped");
            }
            jobs.addLast(new Job(task, priority));
            if (idleWorkers > 0) {
                idleWorkers--;
                ordinaryWork.signal();
                return;
            }
            if (workers < maxWorkers) {
                spawn(false);
            }
            if (priority == Priority.HIGH && idlePriorityWorkers > 0) {
                idlePriorityWorkers--;
                priorityWork.signal();
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
            ordinaryWork.signalAll();
            priorityWork.signalAll();
            running = new ArrayList<>(threads);
        } finally {
            lock.unlock();
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
            Job job = next(priorityOnly);
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

    /** The next job this worker may run, waiting for one; null once the pool stopped. */
    private Job next(boolean priorityOnly) {
        lock.lock();
        try {
            Job job;
            while ((job = take(priorityOnly)) == null) {
                if (stopped) {
                    return null;
                }
                // an interrupt a job left behind must not end the wait (stop() signals, it does not rely on it)
                Thread.interrupted();
                idle(priorityOnly, 1);
                try {
                    (priorityOnly ? priorityWork : ordinaryWork).await();
                } catch (InterruptedException e) {
                    // an interrupted waiter consumed no signal
                    idle(priorityOnly, -1);
                }
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    private void idle(boolean priorityOnly, int change) {
        if (priorityOnly) {
            idlePriorityWorkers += change;
        } else {
            idleWorkers += change;
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
