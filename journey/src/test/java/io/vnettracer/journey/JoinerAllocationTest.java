package io.vnettracer.journey;

import static io.vnettracer.event.EventLayout.FLAG_TAG_INSERTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.journey.GeneratedEvents.Flow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** onEvent allocates nothing in steady state: measured with the thread's allocation counter over ~1M events. */
class JoinerAllocationTest {
    static final int PACKETS_PER_BATCH = 16_384;
    static final int EVENTS_PER_PACKET = 4; // socket (untagged), tx (tags), rx, or a drop
    static final long GAP = 1_000;

    @Test
    void onEventAllocatesNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        ProbeCatalog catalog = new ProbeCatalog().probe(1, "sock", "").probe(2, "tx", "").probe(3, "rx", "")
                .dropProbe(9, "kfree_skb", "");
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults().withTimeoutNanos(2_000_000));
        Flow[] flows = {Flow.udp4(0x0a000001, 5000, 0x0a000002, 6000), Flow.udp4(0x0a000003, 5001, 0x0a000002, 6000),
                Flow.udp6(0xfd00_0000_0000_0000L, 1, 4000, 0xfd00_0000_0000_0000L, 2, 4001)};
        MemorySegment batch = Arena.ofAuto().allocate((long) PACKETS_PER_BATCH * EVENTS_PER_PACKET * EventLayout.SIZE, 8);
        EventWriter writer = new EventWriter();
        EventView view = new EventView();

        int warmupBatches = 8, measuredBatches = 22; // 22 x ~49k (3 events a packet) = ~1M events measured
        long allocated = 0, events = 0;
        int packet = 0;
        for (int b = 0; b < warmupBatches + measuredBatches; b++) {
            int count = 0;
            for (int i = 0; i < PACKETS_PER_BATCH; i++, packet++) {
                count = write(writer, batch, count, flows[packet % flows.length], packet);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int e = 0; e < count; e++) {
                joiner.onEvent(view.wrap(batch, (long) e * EventLayout.SIZE));
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            if (b >= warmupBatches) {
                allocated += after - before;
                events += count;
            }
        }
        joiner.flush();
        assertTrue(events >= 1_000_000, "measured " + events + " events");
        assertEquals(0, joiner.counters().lateEvents());
        assertEquals(0, joiner.counters().evictedEarly());
        assertTrue(allocated < 1024, "onEvent allocated " + allocated + " bytes over " + events + " events");
        System.out.printf("joiner: %d events, %d bytes allocated, %s%n", events, allocated, joiner.counters());
    }

    /** One packet's events with jittered delays; every 20th packet dropped after tx with a DROP event. */
    private static int write(EventWriter w, MemorySegment batch, int index, Flow flow, int packet) {
        long t = 1_000_000_000L + packet * GAP;
        long tag = GeneratedEvents.tagOf(packet);
        index = event(w, batch, index, flow, packet, EventKind.PACKET, 1, t, 0, 0, 0);
        t += 2_000 + (packet * 7919L) % 5_000;
        index = event(w, batch, index, flow, packet, EventKind.PACKET, 2, t, tag, FLAG_TAG_INSERTED, 0);
        if (packet % 20 == 0) {
            return event(w, batch, index, flow, packet, EventKind.DROP, 9, t + 100, tag, 0, 2);
        }
        t += 10_000 + (packet * 104_729L) % 50_000;
        return event(w, batch, index, flow, packet, EventKind.PACKET, 3, t, tag, 0, 0);
    }

    private static int event(EventWriter w, MemorySegment batch, int index, Flow flow, int packet, EventKind kind,
                             int probe, long ts, long tag, int flags, long extra) {
        w.wrap(batch, (long) index * EventLayout.SIZE).kind(kind).probeId(probe).timestamp(ts).tag(tag).flags(flags)
                .extra(extra).ipLength(100).ipId(packet & 0xffff).l4Data(packet);
        flow.writeInto(w);
        return index + 1;
    }
}
