package io.vnettracer.store;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.FinishedJourney;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The drain thread's side of the store: copies each event or journey into the current batch and
 * hands full batches to the writer thread through a bounded queue. Batches come from two fixed
 * pools; when the writer falls behind and a pool is empty, the record is not stored and counted,
 * never waited for. No allocation and no blocking per record ({@link ArrayBlockingQueue#offer} and
 * {@link ArrayBlockingQueue#poll()} take a lock held for a few instructions).
 */
final class BatchHandoff {
    private final BlockingQueue<RecordBatch> eventPool;
    private final BlockingQueue<RecordBatch> journeyPool;
    private final BlockingQueue<RecordBatch> full;
    private RecordBatch events;
    private RecordBatch journeys;
    /** Written by the drain thread; read after it has ended (finish), or racily for progress. */
    private long eventsNotStored;
    private long journeysNotStored;
    private long eventsHandedOver;
    private long journeysHandedOver;
    private volatile boolean closed;
    private final boolean waitForWriter;

    /** @param waitForWriter wait for a free batch instead of counting the record as not stored (imports, not traces) */
    BatchHandoff(int eventBatches, int eventsPerBatch, int journeyBatches, int journeyBatchBytes, boolean waitForWriter) {
        this.waitForWriter = waitForWriter;
        eventPool = new ArrayBlockingQueue<>(eventBatches);
        journeyPool = new ArrayBlockingQueue<>(journeyBatches);
        full = new ArrayBlockingQueue<>(eventBatches + journeyBatches);
        for (int i = 0; i < eventBatches; i++) {
            eventPool.add(new RecordBatch(RecordBatch.Kind.EVENTS, eventsPerBatch * EventLayout.SIZE));
        }
        for (int i = 0; i < journeyBatches; i++) {
            journeyPool.add(new RecordBatch(RecordBatch.Kind.JOURNEYS, journeyBatchBytes));
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
            eventsHandedOver += events.records;
            full.offer(events);
            events = null;
        }
    }

    /** Drain thread. */
    void journey(FinishedJourney journey) {
        int bytes = JourneyRecords.bytes(journey);
        if (journeys != null && journeys.buffer.remaining() < bytes) {
            journeysHandedOver += journeys.records;
            full.offer(journeys);
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

    private RecordBatch take(BlockingQueue<RecordBatch> pool) {
        if (!waitForWriter) {
            return pool.poll();
        }
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Hands over the partly filled batches and says no more will come. After the drain thread has ended. */
    void close() {
        if (events != null && events.records > 0) {
            eventsHandedOver += events.records;
            full.offer(events);
        }
        if (journeys != null && journeys.records > 0) {
            journeysHandedOver += journeys.records;
            full.offer(journeys);
        }
        events = null;
        journeys = null;
        closed = true;
    }

    /** Writer thread: the next full batch, or null when closed and empty. */
    RecordBatch next() throws InterruptedException {
        while (true) {
            RecordBatch b = full.poll(50, TimeUnit.MILLISECONDS);
            if (b != null) {
                return b;
            }
            if (closed && full.isEmpty()) {
                return null;
            }
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

    long eventsHandedOver() {
        return eventsHandedOver;
    }

    long journeysHandedOver() {
        return journeysHandedOver;
    }
}
