package io.vnettracer.journey.clock;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.JourneyListener;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Packets crossing probes on nodes whose clocks are off the reference by known amounts: every
 * event is written with the true time plus its node's offset, as that node's kernel would stamp it.
 * Events are kept in send order of their packets, so they can be joined again (a re-join).
 */
final class SimulatedNodes {
    final ProbeCatalog catalog = new ProbeCatalog();
    private final Map<String, Long> trueOffsets;
    private final MemorySegment events = Arena.ofAuto().allocate(EventLayout.SIZE * 400_000L, 8);
    private int count;
    private final EventWriter writer = new EventWriter();
    private final Random random = new Random(7);

    /** @param trueOffsets each node's clock minus the reference's (absent nodes: 0) */
    SimulatedNodes(Map<String, Long> trueOffsets, String... probeNames) {
        this.trueOffsets = trueOffsets;
        for (int i = 0; i < probeNames.length; i++) catalog.probe(i, probeNames[i], "simulated");
    }

    /**
     * {@code packets} packets of one UDP flow from {@code srcPort} to {@code dstPort}, one every 100 µs
     * of true time from {@code start}, through the probes {@code path} (catalog ids); hop i takes
     * {@code minDelays[i]} ns plus up to {@code spread} ns.
     */
    SimulatedNodes flow(int srcPort, int dstPort, int packets, long start, int[] path, long[] minDelays, long spread) {
        for (int p = 0; p < packets; p++) packet(srcPort, dstPort, p, start + p * 100_000L, path, minDelays, spread);
        return this;
    }

    /**
     * A ping-pong: {@code packets} pings from port 4000 to 5000, one every 100 µs from {@code start},
     * each answered 50 µs later by a pong from 5000 to 4000; written in that order, as a joiner would
     * get them.
     */
    SimulatedNodes pingPong(int packets, long start, int[] pingPath, long[] pingDelays, int[] pongPath, long[] pongDelays,
                            long spread) {
        for (int p = 0; p < packets; p++) {
            packet(4000, 5000, p, start + p * 100_000L, pingPath, pingDelays, spread);
            packet(5000, 4000, p, start + p * 100_000L + 50_000, pongPath, pongDelays, spread);
        }
        return this;
    }

    private void packet(int srcPort, int dstPort, int p, long start, int[] path, long[] minDelays, long spread) {
        long t = start;
        for (int hop = 0; hop < path.length; hop++) {
            if (hop > 0) t += minDelays[hop - 1] + (spread == 0 ? 0 : random.nextLong(spread));
            long node = trueOffsets.getOrDefault(catalog.get(catalog.indexOf(path[hop])).node(), 0L);
            writer.wrap(events, (long) count++ * EventLayout.SIZE).kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT)
                    .probeId(path[hop]).timestamp(t + node).ipLength(100).ipId((srcPort * 7919 + p) & 0xffff)
                    .l4Data(0x5EED_0000_0000_0000L | (long) srcPort << 24 | p)
                    .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, srcPort, dstPort);
        }
    }

    /** A joiner over every event, each passed through {@code correct} first, with {@code listener} on its journeys. */
    JourneyJoiner join(UnaryOperator<EventView> correct, JourneyListener listener) {
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        joiner.setListener(listener);
        feed(joiner, 0, count, correct, new EventView());
        joiner.flush();
        return joiner;
    }

    /** Feeds events {@code from} (inclusive) to {@code to} through {@code correct}: allocation-free. */
    void feed(JourneyJoiner joiner, int from, int to, UnaryOperator<EventView> correct, EventView view) {
        for (int i = from; i < to; i++) {
            joiner.onEvent(correct.apply(view.wrap(events, (long) i * EventLayout.SIZE)));
        }
    }

    int events() {
        return count;
    }

    /** Crossings measured over a join of the events as their nodes stamped them. */
    Crossings crossings() {
        CrossingDelays delays = new CrossingDelays(catalog);
        join(e -> e, delays);
        return delays.snapshot();
    }

}
