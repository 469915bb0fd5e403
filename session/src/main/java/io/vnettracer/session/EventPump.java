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
 * waking it), checks each event and hands it on. While the ring stays empty the timer backs off
 * (doubling, up to {@link #idlePollMillis}): an idle trace wakes ~50 times a second instead of
 * 200, and each pass also reads every probe's loss counters (docs/BENCHMARKS.md, section 8).
 * Counts events per probe and every event it could not decode. Allocates nothing per event. Whatever the consumer throws (an Error too) ends the
 * thread and is reported to the owner; the consumer is then given nothing more: what is drained
 * after is only counted ({@link #notHandedOver}).
 */
final class EventPump implements RecordHandler {
    private final RingBufferReader reader;
    private final EventConsumer consumer;
    private final int pollMillis;
    /**
     * The longest wait between looks at an empty ring: {@link #MAX_IDLE_POLL_MILLIS}, less for a
     * small ring, so that a burst after idleness at {@link #BURST_BYTES_PER_SECOND} fills at most a
     * quarter of the ring before the thread looks (never less than {@code pollMillis}).
     */
    private final int idlePollMillis;
    static final int MAX_IDLE_POLL_MILLIS = 20;
    /** ~2 M records a second: more than the probes of this 2-core machine write at full rate. */
    static final long BURST_BYTES_PER_SECOND = 200_000_000L;
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
        long quarterRingMillis = reader.capacity() / 4 * 1000 / BURST_BYTES_PER_SECOND;
        this.idlePollMillis = (int) Math.max(pollMillis, Math.min(MAX_IDLE_POLL_MILLIS, quarterRingMillis));
        this.owner = owner;
        this.worker = Worker.create("the drain thread", "vnettracer-drain", owner, this::drainUntilStopped);
    }

    void start() {
        worker.start();
    }

    private void drainUntilStopped(Worker self) {
        int wait = pollMillis;
        while (self.running()) {
            int n = reader.poll(wait, this);
            consumer.afterDrain(n);
            wait = n > 0 ? pollMillis : Math.min(idlePollMillis, wait * 2);
        }
    }

    /** The longest wait between looks at an empty ring, ms. */
    int idlePollMillis() {
        return idlePollMillis;
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
