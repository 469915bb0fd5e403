package io.vnettracer.session;

import io.vnettracer.bpf.ringbuf.RecordHandler;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.event.EventDecoder;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.program.ProbeMaps;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The session's drain thread: polls the ring buffer on a short timer (probes submit without
 * waking it), checks each event and hands it on. Counts events per probe and every event it could
 * not decode. Allocates nothing per event.
 */
final class EventPump implements RecordHandler, Runnable {
    private final RingBufferReader reader;
    private final EventConsumer consumer;
    private final int pollMillis;
    private final EventDecoder decoder = new EventDecoder(ProbeMaps.MAX_PROBES);
    private final AtomicLongArray eventsPerProbe = new AtomicLongArray(ProbeMaps.MAX_PROBES);
    private volatile boolean running = true;
    private final Thread thread;

    EventPump(RingBufferReader reader, EventConsumer consumer, int pollMillis) {
        this.reader = reader;
        this.consumer = consumer;
        this.pollMillis = pollMillis;
        this.thread = Thread.ofPlatform().name("vnettracer-drain").daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
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
        int probe = view.probeId();
        // A UDP datagram read at a socket probe arrives as two events (queued, then read): count it once.
        if (view.kindCode() != io.vnettracer.event.EventKind.SOCKET_QUEUED.code()) {
            eventsPerProbe.incrementAndGet(probe);
        }
        consumer.onEvent(view);
    }

    /** Stops the thread after its current pass, then drains what is left, on the caller's thread. */
    void stopAndDrain() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int n;
        while ((n = reader.drain(this)) > 0) {
            consumer.afterDrain(n);
        }
        consumer.afterDrain(0);
    }

    long events(int probe) {
        return eventsPerProbe.get(probe);
    }

    long undecodable() {
        return decoder.undecodable();
    }
}
