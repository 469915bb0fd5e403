package io.vnettracer.bpf.features;

import io.vnettracer.bpf.sys.LibC;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a probe on a fresh thread moved into a new, empty network namespace: whatever the probe
 * attaches there (to its loopback device) can touch no real traffic, and the namespace vanishes
 * with the thread.
 */
final class ScratchNamespace {
    private ScratchNamespace() {}

    static <T> T run(Callable<T> probe) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("feature-probe").start(() -> {
            try {
                LibC.unshare(LibC.CLONE_NEWNET, "creating a scratch network namespace for a feature probe");
                result.set(probe.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return result.get();
    }
}
