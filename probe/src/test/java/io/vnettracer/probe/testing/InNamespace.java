package io.vnettracer.probe.testing;

import io.vnettracer.bpf.sys.LibC;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs an action inside a named network namespace ({@code /var/run/netns/NAME}) on a thread of its
 * own that ends afterwards, so no pooled thread is left in a foreign namespace. What the action
 * creates keeps its namespace: sockets, and the interface indexes a TCX link was made with.
 */
public final class InNamespace {
    private InNamespace() {}

    public static <T> T call(String namespace, Callable<T> action) {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = LibC.open("/var/run/netns/" + namespace, LibC.O_RDONLY | LibC.O_CLOEXEC);
            try {
                LibC.setns(fd, LibC.CLONE_NEWNET, "entering network namespace " + namespace);
            } finally {
                LibC.close(fd);
            }
            return action.call();
        });
        Thread thread = Thread.ofPlatform().name("netns-" + namespace).start(task);
        try {
            T result = task.get();
            thread.join();
            return result;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("in namespace " + namespace + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
