package io.vnettracer.worker;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One loop of a component (the ring drain, the store writer, the Kafka sender, ...) on a daemon
 * thread of its own. Whatever ends the loop other than returning, {@link Error}s included, is
 * caught, kept ({@link #failure}) and reported once to the owner, on this thread, so that the trace
 * can stop at once instead of waiting for records that will never come. The loop ends when
 * {@link #running()} turns false ({@link #stop}); a loop that parks is unparked by {@link #stop}.
 */
public final class Worker {
    /** The loop; returns when {@code self.running()} is false or its input has ended. */
    @FunctionalInterface
    public interface Loop {
        void run(Worker self) throws Exception;
    }

    private final String role;
    private final Loop loop;
    private final Consumer<WorkerFailure> owner;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile WorkerFailure failure;

    private Worker(String role, String threadName, Consumer<WorkerFailure> owner, Loop loop) {
        this.role = Objects.requireNonNull(role);
        this.owner = Objects.requireNonNull(owner);
        this.loop = Objects.requireNonNull(loop);
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::runLoop);
    }

    /**
     * A worker not yet started.
     *
     * @param role       what it is, for the user: "the store writer"
     * @param threadName its thread's name: "vnettracer-store"
     * @param owner      told of the failure, once, on the worker's thread; must not block
     */
    public static Worker create(String role, String threadName, Consumer<WorkerFailure> owner, Loop loop) {
        return new Worker(role, threadName, owner, loop);
    }

    /** {@link #create} and {@link #start}. */
    public static Worker start(String role, String threadName, Consumer<WorkerFailure> owner, Loop loop) {
        return create(role, threadName, owner, loop).start();
    }

    public Worker start() {
        thread.start();
        return this;
    }

    private void runLoop() {
        try {
            loop.run(this);
        } catch (InterruptedException e) {
            if (running) {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        WorkerFailure f = new WorkerFailure(role, thread.getName(), t);
        failure = f;
        try {
            owner.accept(f);
        } catch (Throwable ignored) {
            // the failure is kept in failure(); an owner that fails too cannot be told more
        }
    }

    /** False once {@link #stop} was called: the loop should finish what it has and return. */
    public boolean running() {
        return running;
    }

    /** Asks the loop to end and wakes it if it is parked; does not wait. */
    public void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** Waits up to {@code millis} for the thread to end (0: for ever); true when it has ended. */
    public boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** {@link #stop}, then waits for the thread to end; keeps the caller's interrupt status. */
    public void stopAndAwait() {
        stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Interrupts a loop stuck in a blocking call after {@link #stop} (not reported as a failure). */
    public void interrupt() {
        running = false;
        thread.interrupt();
    }

    /** Parks the loop's thread for up to {@code nanos}, or until {@link #stop}: for idle loops. */
    public void idle(long nanos) {
        if (running) {
            LockSupport.parkNanos(this, nanos);
        }
    }

    /** Parks for {@code timeout} {@code unit}s, or until {@link #stop}. */
    public void idle(long timeout, TimeUnit unit) {
        idle(unit.toNanos(timeout));
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** How the loop ended by a throwable, or null (still running, or ended normally). */
    public WorkerFailure failure() {
        return failure;
    }

    public String role() {
        return role;
    }
}
