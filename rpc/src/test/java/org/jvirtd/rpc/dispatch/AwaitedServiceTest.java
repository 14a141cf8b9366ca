package org.jvirtd.rpc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A call for a network or storage service waits for it across an update of its bundle, and only then. */
class AwaitedServiceTest {
    @Test
    void aServiceThatNeverCameIsNullAtOnce() {
        AwaitedService<String> service = new AwaitedService<>(() -> 60_000);
        long start = System.nanoTime();
        assertNull(service.get());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000);
    }

    @Test
    void aCallDuringAnUpdateGetsTheNextService() throws Exception {
        AwaitedService<String> service = new AwaitedService<>(() -> 60_000);
        service.bind("old");
        service.unbind("old");
        CompletableFuture<String> call = CompletableFuture.supplyAsync(service::get);
        Thread.sleep(200);
        assertTrue(!call.isDone(), "the call waits while the service is away");
        service.bind("new");
        assertEquals("new", call.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aServiceThatDoesNotComeBackIsNullAfterTheGracePeriod() {
        AwaitedService<String> service = new AwaitedService<>(() -> 300);
        service.bind("old");
        service.unbind("old");
        long start = System.nanoTime();
        assertNull(service.get());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 250 && waited < 5000, "waited " + waited + " ms");
    }

    @Test
    void unbindingAReplacedServiceKeepsTheNewOne() {
        AwaitedService<String> service = new AwaitedService<>(() -> 0);
        service.bind("old");
        service.bind("new");
        service.unbind("old");
        assertSame("new", service.get());
    }
}
