package io.vnettracer.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Detaches removed probes off the caller's thread. A removal takes effect when the probe's switch in
 * the config map goes off (the next packet records nothing); unhooking the program afterwards makes
 * the kernel wait for an RCU grace period (TCX, cgroup and tracing links alike: 5-15 ms on a small
 * VM), which the live change need not wait for. The session waits for every pending detach before
 * it closes, so nothing outlives it.
 */
final class BackgroundDetacher {
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("vnettracer-detach").factory());

    void detach(AttachedProbe probe) {
        executor.execute(probe::close);
    }

    /** Waits for every detach submitted so far. */
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new SessionException("removed probes were still detaching after " + CLOSE_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
