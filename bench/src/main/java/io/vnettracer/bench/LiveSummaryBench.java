package io.vnettracer.bench;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a live summary costs the drain thread (the joiner's thread builds it: about once a second,
 * and early when a new flow appears, io.vnettracer.journey.SummaryPacing): a joiner holding
 * {@code --flows} flows of the six-probe synthetic path, their journeys of the last two seconds still
 * open, summarized again and again. Usage: {@code scripts/bench live [--flows N] [--packets N] [--rounds N]}.
 */
public final class LiveSummaryBench {
    private LiveSummaryBench() {}

    public static void main(String[] args) throws Exception {
        int[] flowCounts = {16, 256, 4096};
        int packets = 30;
        int rounds = 20;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--flows" -> flowCounts = new int[] {Integer.parseInt(args[++i])};
                case "--packets" -> packets = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (known: --flows, --packets, --rounds)");
            }
        }
        List<Samples> figures = new ArrayList<>();
        for (int flows : flowCounts) {
            JourneyJoiner joiner = loaded(flows, packets);
            Samples build = new Samples(String.format("summary of %,d flows (%d packets each, a third open)", flows, packets), "ms", rounds);
            for (int warm = 0; warm < 5; warm++) joiner.summary(id -> 0);
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                Summary s = joiner.summary(id -> 0);
                build.add((System.nanoTime() - start) / 1e6);
                if (s.flows().size() != flows) throw new IllegalStateException(s.flows().size() + " rows, not " + flows);
            }
            figures.add(build);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("packets_per_flow", packets);
        settings.put("probes", SyntheticTrace.PATH.length);
        settings.put("jvm_options", ManagementFactory.getRuntimeMXBean().getInputArguments());
        ResultFile.report("live", "scripts/bench live " + String.join(" ", args), figures, settings);
    }

    /**
     * {@code flows} flows, {@code packets} each over three seconds of event time through the six
     * probes; the joiner's 2 s timeout leaves the last two seconds' journeys open.
     */
    private static JourneyJoiner loaded(int flows, int packets) {
        JourneyJoiner joiner = new JourneyJoiner(SyntheticTrace.catalog(), JoinerConfig.defaults().withMaxFlows(flows));
        long start = 1_000_000_000_000L;
        long gap = 3_000_000_000L / ((long) flows * packets);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate(EventLayout.SIZE);
            EventWriter w = new EventWriter();
            EventView view = new EventView();
            long t = start;
            for (int p = 0; p < packets; p++) {
                for (int f = 0; f < flows; f++) {
                    t += gap;
                    for (int hop = 0; hop < SyntheticTrace.PATH.length; hop++) {
                        w.wrap(scratch, 0).idMode(IdMode.FINGERPRINT).kind(EventKind.PACKET).probeId(hop)
                                .timestamp(t + hop * 5_000L + (p * 7L + f) % 3_000)
                                .ipv4(10 << 24 | 1 << 16 | f, 10 << 24 | 2 << 16 | f, PacketKeyLayout.IPPROTO_UDP,
                                        20_000 + f % 1000, 4000)
                                .ipId(p).ipLength(92).skbLength(106).l4Data(p);
                        joiner.onEvent(view.wrap(scratch, 0));
                    }
                }
            }
        }
        return joiner;
    }
}
