package io.vnettracer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerTest {
    private final List<WorkerFailure> reported = new CopyOnWriteArrayList<>();

    @Test
    void anErrorEndingTheLoopIsReportedOnceWithItsThread() throws Exception {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        Worker w = Worker.start("the drain thread", "test-drain", reported::add, self -> {
            throw oom;
        });
        assertTrue(w.await(5000));
        assertEquals(1, reported.size());
        WorkerFailure f = reported.get(0);
        assertSame(oom, f.cause());
        assertEquals("test-drain", f.thread());
        assertSame(f, w.failure());
        assertEquals("the drain thread (thread test-drain) failed: java.lang.OutOfMemoryError: Java heap space", f.line());
    }

    @Test
    void anExceptionIsReportedWithItsIoCauseOnOneLine() throws Exception {
        Worker w = Worker.start("the store writer", "test-store", reported::add, self -> {
            throw new UncheckedIOException("writing /x", new IOException("No space\nleft on device"));
        });
        assertTrue(w.await(5000));
        assertEquals("the store writer (thread test-store) failed: java.io.IOException: No space left on device (writing /x)",
                reported.get(0).line());
    }

    @Test
    void aLoopStoppedOrEndedIsNoFailure() throws Exception {
        Worker w = Worker.start("idle", "test-idle", reported::add, self -> {
            while (self.running()) {
                self.idle(1, TimeUnit.HOURS);
            }
        });
        long start = System.nanoTime();
        w.stop();
        assertTrue(w.await(5000), "stop wakes a parked loop");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertNull(w.failure());
        assertTrue(reported.isEmpty());
    }

    @Test
    void anInterruptAfterStopIsNoFailureButOneWithoutIs() throws Exception {
        Worker stopped = Worker.start("sleeper", "test-sleep", reported::add, self -> Thread.sleep(60_000));
        stopped.interrupt();
        assertTrue(stopped.await(5000));
        assertTrue(reported.isEmpty(), "interrupted on purpose");

        Worker unexpected = Worker.start("sleeper", "test-sleep2", reported::add, self -> Thread.sleep(60_000));
        Thread.sleep(50);
        // interrupted by someone else, not through stop: the loop died for no reason of its own
        Thread t = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("test-sleep2")).findFirst().orElseThrow();
        t.interrupt();
        assertTrue(unexpected.await(5000));
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).cause() instanceof InterruptedException);
    }

    @Test
    void anOwnerThatThrowsDoesNotHideTheFailure() throws Exception {
        Worker w = Worker.start("w", "test-owner", f -> {
            throw new IllegalStateException("owner broken");
        }, self -> {
            throw new IllegalArgumentException("boom");
        });
        assertTrue(w.await(5000));
        assertEquals("boom", w.failure().cause().getMessage());
    }

    @Test
    void failuresKeepTheFirstAndTellLateListeners() {
        WorkerFailures failures = new WorkerFailures();
        List<WorkerFailure> early = new CopyOnWriteArrayList<>();
        failures.forwardTo(early::add);
        WorkerFailure first = new WorkerFailure("a", "t1", new RuntimeException("1"));
        failures.accept(first);
        failures.accept(new WorkerFailure("b", "t2", new RuntimeException("2")));
        assertEquals(List.of(first), early);
        List<WorkerFailure> late = new CopyOnWriteArrayList<>();
        failures.forwardTo(late::add);
        assertEquals(List.of(first), late, "a listener added after the failure hears of it at once");
        assertSame(first, failures.first());
    }

    @Test
    void aWorkerIsADaemonNamedAsAsked() throws Exception {
        Thread[] seen = new Thread[1];
        Worker w = Worker.start("w", "test-named", reported::add, self -> seen[0] = Thread.currentThread());
        assertTrue(w.await(5000));
        assertEquals("test-named", seen[0].getName());
        assertTrue(seen[0].isDaemon());
        assertFalse(w.isAlive());
    }
}
