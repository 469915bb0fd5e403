package io.vnettracer.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first failure of a component's workers, passed on to whoever ends the trace. Workers start
 * before their component's owner is known (a sink starts its thread when opened), so a listener
 * added after the failure hears of it at once.
 */
public final class WorkerFailures implements Consumer<WorkerFailure> {
    private final List<Consumer<WorkerFailure>> listeners = new ArrayList<>();
    private WorkerFailure first;

    /** Keeps {@code failure} if it is the first and tells the listeners; later ones are ignored. */
    @Override
    public void accept(WorkerFailure failure) {
        List<Consumer<WorkerFailure>> told;
        synchronized (this) {
            if (first != null) {
                return;
            }
            first = failure;
            told = List.copyOf(listeners);
        }
        told.forEach(l -> l.accept(failure));
    }

    /** Tells {@code listener} of the first failure: now, if there was one already, else when it comes. */
    public void forwardTo(Consumer<WorkerFailure> listener) {
        WorkerFailure already;
        synchronized (this) {
            listeners.add(listener);
            already = first;
        }
        if (already != null) {
            listener.accept(already);
        }
    }

    /** The first failure, or null. */
    public synchronized WorkerFailure first() {
        return first;
    }
}
