package io.vnettracer.store;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.worker.SpscQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The drain thread's side of the store: copies each event or journey into the current batch and
 * hands full batches to the writer thread through a bounded queue. Batches come from two fixed
 * pools; when the writer falls behind and a pool is empty, the record is not stored and counted,
 * never waited for.
 *
 * <p>The three queues are single-producer single-consumer and lock-free ({@link SpscQueue}): the
 * drain thread fills the full queue and empties the pools, the writer thread the other way round.
 * A lock-based queue allocates a wait node whenever the two threads meet on its lock; these never
 * allocate and never block. {@link #close} runs on the trace's main thread once the drain thread
 * has ended, so each queue still has one producer at a time.
 */
final class BatchHandoff {
    /** How long the writer sleeps when there is nothing to write. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SpscQueue<RecordBatch> eventPool;
    private final SpscQueue<RecordBatch> journeyPool;
    private final SpscQueue<RecordBatch> full;
    private final boolean waitForWriter;
    private RecordBatch events;
    private RecordBatch journeys;
    /** Written by the drain thread; read after it has ended (finish). */
    private long eventsNotStored;
    private long journeysNotStored;
    private volatile boolean closed;
    /** Set when the writer thread has ended: nobody frees batches any more, so none is waited for. */
    private volatile boolean writerEnded;

    /** @param waitForWriter wait for a free batch instead of counting the record as not stored (imports, not traces) */
    BatchHandoff(int eventBatches, int eventsPerBatch, int journeyBatches, int journeyBatchBytes, boolean waitForWriter) {
        this.waitForWriter = waitForWriter;
        eventPool = new SpscQueue<>(eventBatches);
        journeyPool = new SpscQueue<>(journeyBatches);
        full = new SpscQueue<>(eventBatches + journeyBatches);
        for (int i = 0; i < eventBatches; i++) {
            eventPool.offer(new RecordBatch(RecordBatch.Kind.EVENTS, eventsPerBatch * EventLayout.SIZE));
        }
        for (int i = 0; i < journeyBatches; i++) {
            journeyPool.offer(new RecordBatch(RecordBatch.Kind.JOURNEYS, journeyBatchBytes));
        }
    }

    /** Drain thread. */
    void event(EventView event) {
        if (events == null && (events = take(eventPool)) == null) {
            eventsNotStored++;
            return;
        }
        event.copyTo(events.segment, events.buffer.position());
        events.buffer.position(events.buffer.position() + EventLayout.SIZE);
        events.records++;
        if (events.buffer.remaining() < EventLayout.SIZE) {
            handOver(events);
            events = null;
        }
    }

    /** Drain thread. */
    void journey(FinishedJourney journey) {
        int bytes = JourneyRecords.bytes(journey);
        if (journeys != null && journeys.buffer.remaining() < bytes) {
            handOver(journeys);
            journeys = null;
        }
        if (journeys == null && (journeys = take(journeyPool)) == null) {
            journeysNotStored++;
            return;
        }
        if (journeys.buffer.remaining() < bytes) {
            // a journey bigger than a whole batch: cannot happen with the joiner's hop limit, but count it
            journeysNotStored++;
            return;
        }
        JourneyRecords.write(journey, journeys.buffer);
        journeys.records++;
    }

    private RecordBatch take(SpscQueue<RecordBatch> pool) {
        RecordBatch b = pool.poll();
        while (b == null && waitForWriter && !writerEnded && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(IDLE_PARK_NANOS);
            b = pool.poll();
        }
        return b;
    }

    /** The full queue holds every batch there is, so this offer cannot fail. */
    private void handOver(RecordBatch batch) {
        if (!full.offer(batch)) {
            throw new IllegalStateException("the store's hand-over queue is smaller than its batch pools");
        }
    }

    /** Hands over the partly filled batches and says no more will come. After the drain thread has ended. */
    void close() {
        if (events != null && events.records > 0) {
            handOver(events);
        }
        if (journeys != null && journeys.records > 0) {
            handOver(journeys);
        }
        events = null;
        journeys = null;
        closed = true;
    }

    /** Writer thread: the next full batch, or null when closed and empty. */
    RecordBatch next() throws InterruptedException {
        while (true) {
            boolean last = closed;
            RecordBatch b = full.poll();
            if (b != null) {
                return b;
            }
            if (last) {
                return null;
            }
            LockSupport.parkNanos(IDLE_PARK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("the store's writer was interrupted");
            }
        }
    }

    /** Writer thread, as it ends (done or failed). */
    void writerEnded() {
        writerEnded = true;
    }

    /**
     * After the writer thread has ended by a failure: the batches it never took are not stored;
     * counts their records. After {@link #close}.
     */
    void abandonQueued() {
        RecordBatch b;
        while ((b = full.poll()) != null) {
            if (b.kind == RecordBatch.Kind.EVENTS) {
                eventsNotStored += b.records;
            } else {
                journeysNotStored += b.records;
            }
            recycle(b);
        }
    }

    /** Writer thread: a stored (or abandoned) batch goes back to its pool. */
    void recycle(RecordBatch batch) {
        batch.clear();
        (batch.kind == RecordBatch.Kind.EVENTS ? eventPool : journeyPool).offer(batch);
    }

    long eventsNotStored() {
        return eventsNotStored;
    }

    long journeysNotStored() {
        return journeysNotStored;
    }
}
