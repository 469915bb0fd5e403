package io.vnettracer.session;

import io.vnettracer.bpf.ringbuf.RecordHandler;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.event.EventDecoder;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.worker.Worker;
import io.vnettracer.worker.WorkerFailure;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The session's drain thread: polls the ring buffer on a short timer (probes submit without
 * waking it), checks each event and hands it on. Counts events per probe and every event it could
 * not decode. Allocates nothing per event. Whatever the consumer throws (an Error too) ends the
 * thread and is reported to the owner; the consumer is then given nothing more: what is drained
 * after is only counted ({@link #notHandedOver}).
 */
final class EventPump implements RecordHandler {
    private final RingBufferReader reader;
    private final EventConsumer consumer;
    private final int pollMillis;
    private final EventDecoder decoder = new EventDecoder(ProbeMaps.MAX_PROBES);
    private final AtomicLongArray eventsPerProbe = new AtomicLongArray(ProbeMaps.MAX_PROBES);
    /** Events drained after the consumer failed: not handed over. */
    private volatile long notHandedOver;
    private final Worker worker;
    private final Consumer<WorkerFailure> owner;
    /** Set when the last drain, on the closing thread, failed. */
    private volatile boolean finalDrainFailed;

    EventPump(RingBufferReader reader, EventConsumer consumer, int pollMillis, Consumer<WorkerFailure> owner) {
        this.reader = reader;
        this.consumer = consumer;
        this.pollMillis = pollMillis;
        this.owner = owner;
        this.worker = Worker.create("the drain thread", "vnettracer-drain", owner, this::drainUntilStopped);
    }

    void start() {
        worker.start();
    }

    private void drainUntilStopped(Worker self) {
        while (self.running()) {
            int n = reader.poll(pollMillis, this);
            consumer.afterDrain(n);
        }
    }

    @Override
    public void onRecord(MemorySegment buffer, long offset, int length) {
        EventView view = decoder.decode(buffer, offset, length);
        if (view == null) {
            return;
        }
        if (worker.failure() != null || finalDrainFailed) {
            notHandedOver++;
            return;
        }
        int probe = view.probeId();
        // A TCP segment read at a socket probe arrives as two events (queued, then read): count it once.
        if (view.kindCode() != io.vnettracer.event.EventKind.SOCKET_QUEUED.code()) {
            eventsPerProbe.incrementAndGet(probe);
        }
        consumer.onEvent(view);
    }

    /** Stops the thread after its current pass, then drains what is left, on the caller's thread. */
    void stopAndDrain() {
        worker.stopAndAwait();
        try {
            int n;
            while ((n = reader.drain(this)) > 0) {
                if (worker.failure() == null) {
                    consumer.afterDrain(n);
                }
            }
            if (worker.failure() == null) {
                consumer.afterDrain(0);
            }
        } catch (Throwable t) {
            // The closing thread drains the rest as the drain thread would have: its failure is the same.
            finalDrainFailed = true;
            owner.accept(new WorkerFailure(worker.role(), Thread.currentThread().getName(), t));
            while (reader.drain(this) > 0) {
                // counted in notHandedOver
            }
        }
    }

    long notHandedOver() {
        return notHandedOver;
    }

    long events(int probe) {
        return eventsPerProbe.get(probe);
    }

    long undecodable() {
        return decoder.undecodable();
    }
}
