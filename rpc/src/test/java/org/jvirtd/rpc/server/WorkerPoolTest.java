package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jvirtd.rpc.dispatch.Priority;
import org.junit.jupiter.api.Test;

/** Which worker takes a call, and that the pool still runs every call when calls come faster than one at a time. */
class WorkerPoolTest {

    /** Waits until {@code count} ordinary workers are idle (waiting for a call). */
    private static void awaitIdle(WorkerPool pool, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.info().freeWorkers() != count) {
            assertTrue(System.nanoTime() < deadline, "workers idle: " + pool.info());
            Thread.sleep(5);
        }
    }

    private static String runOne(WorkerPool pool, Priority priority) throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        pool.submit(() -> ran.complete(Thread.currentThread().getName()), priority);
        return ran.get(10, TimeUnit.SECONDS);
    }

    @Test
    void callsOneAfterAnotherRunOnTheWorkerThatWentIdleLast() throws Exception {
        WorkerPool pool = new WorkerPool("test-pool", 4, 8, 2);
        try {
            awaitIdle(pool, 4);
            List<String> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                threads.add(runOne(pool, i % 2 == 0 ? Priority.HIGH : Priority.LOW));
                awaitIdle(pool, 4);
            }
            // a FIFO wake-up takes the worker idle longest: four different threads in turn
            assertEquals(1, threads.stream().distinct().count(), "threads: " + threads);
        } finally {
            pool.stop();
        }
    }

    @Test
    void everyCallRunsWhenMoreArriveThanWorkersWait() throws Exception {
        WorkerPool pool = new WorkerPool("test-pool", 2, 4, 1);
        try {
            int calls = 2000;
            CountDownLatch done = new CountDownLatch(calls);
            for (int i = 0; i < calls; i++) {
                pool.submit(done::countDown, i % 3 == 0 ? Priority.HIGH : Priority.LOW);
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), done.getCount() + " calls never ran");
            pool.resize(1L, 2L, 0L);
            CountDownLatch more = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                pool.submit(more::countDown, Priority.HIGH);
            }
            assertTrue(more.await(30, TimeUnit.SECONDS), more.getCount() + " calls never ran after a resize");
        } finally {
            pool.stop();
        }
    }
}
