package io.vnettracer.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claim the scale-out rests on: joining each fingerprint partition on its own and merging the
 * partial summaries gives what one joiner of every event gives — in tag mode too, where the first
 * and last sightings carry no tag.
 */
class SummaryMergeTest {
    private static final int PARTITIONS = 6;

    @Test
    void partitionsJoinedApartAndMergedEqualOneJoinerOfEverything() {
        GeneratedPath path = new GeneratedPath(6000, 7);
        EventView view = new EventView();
        ProbeCatalog catalog = GeneratedPath.catalog();

        JourneyJoiner whole = new JourneyJoiner(catalog, GeneratedPath.config());
        List<JourneyJoiner> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) parts.add(new JourneyJoiner(catalog, GeneratedPath.config()));
        int[] perPartition = new int[PARTITIONS];
        for (int k = 0; k < path.count; k++) {
            view.wrap(path.events, path.offset(k));
            whole.onEvent(view);
            int p = IdentityPartitioner.partitionOf(view, PARTITIONS);
            perPartition[p]++;
            parts.get(p).onEvent(view);
        }
        whole.flush();
        Summary expected = whole.summary(id -> 0);
        List<PartialSummary> partials = new ArrayList<>();
        for (JourneyJoiner j : parts) {
            j.flush(whole.newestEvent()); // one end of the trace for all: what is in flight is decided alike
            partials.add(new PartialSummary(j.summary(id -> 0), j.figures()));
        }
        for (int n : perPartition) assertTrue(n > path.count / PARTITIONS / 2, "partitions are used evenly: " + java.util.Arrays.toString(perPartition));

        Summary merged = SummaryMerge.merge(partials, Map.of()).summary();

        assertEquals(expected.probes(), merged.probes());
        assertEquals(expected.drops(), merged.drops());
        assertEquals(expected.counters().toString(), merged.counters().toString());
        assertEquals(0, expected.counters().merges() + expected.counters().fingerprintConflicts(), "every packet's sightings met");
        assertEquals(expected.flows().size(), merged.flows().size());
        for (int f = 0; f < expected.flows().size(); f++) {
            Summary.Flow e = expected.flows().get(f), m = merged.flows().get(f);
            assertEquals(e.key(), m.key());
            assertEquals(e.path(), m.path());
            assertEquals(e.sent(), m.sent());
            assertEquals(e.received(), m.received());
            assertEquals(e.lost(), m.lost());
            assertTrue(e.lost() > 0);
            assertEquals(e.lossRate(), m.lossRate(), 1e-12);
            assertEquals(e.throughputBps(), m.throughputBps(), e.throughputBps() * 1e-12);
            assertEquals(e.latencyNs().min(), m.latencyNs().min());
            assertEquals(e.latencyNs().max(), m.latencyNs().max());
            assertEquals(e.latencyNs().mean(), m.latencyNs().mean(), 1e-6);
            assertEquals(e.latencyNs().p50(), m.latencyNs().p50());
            assertEquals(e.latencyNs().p90(), m.latencyNs().p90());
            assertEquals(e.latencyNs().p99(), m.latencyNs().p99());
            assertEquals(e.latencyNs().p999(), m.latencyNs().p999());
        }
        assertEquals(expected.segments().size(), merged.segments().size());
        for (int s = 0; s < expected.segments().size(); s++) {
            Summary.Segment e = expected.segments().get(s), m = merged.segments().get(s);
            assertEquals(List.of(e.flow(), e.from(), e.to()), List.of(m.flow(), m.from(), m.to()));
            assertEquals(e.packets(), m.packets());
            assertEquals(e.lost(), m.lost());
            assertEquals(e.latencyNs().mean(), m.latencyNs().mean(), 1e-6);
            assertEquals(e.latencyNs().p50(), m.latencyNs().p50());
            assertEquals(e.latencyNs().p99(), m.latencyNs().p99());
            assertEquals(e.share(), m.share(), 0.01, "share is a journey-weighted mean of the partitions' shares");
        }
    }

    @Test
    void mergingIsAssociative() {
        GeneratedPath path = new GeneratedPath(3000, 11);
        EventView view = new EventView();
        ProbeCatalog catalog = GeneratedPath.catalog();
        List<JourneyJoiner> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) parts.add(new JourneyJoiner(catalog, GeneratedPath.config()));
        for (int k = 0; k < path.count; k++) {
            view.wrap(path.events, path.offset(k));
            parts.get(IdentityPartitioner.partitionOf(view, PARTITIONS)).onEvent(view);
        }
        List<PartialSummary> partials = new ArrayList<>();
        for (JourneyJoiner j : parts) {
            j.flush();
            partials.add(new PartialSummary(j.summary(id -> 0), j.figures()));
        }
        Summary all = SummaryMerge.merge(partials, Map.of()).summary();
        PartialSummary left = SummaryMerge.merge(partials.subList(0, 2), Map.of());
        PartialSummary right = SummaryMerge.merge(partials.subList(2, PARTITIONS), Map.of());
        Summary twoCollectors = SummaryMerge.merge(List.of(left, right), Map.of()).summary();
        assertEquals(all.probes(), twoCollectors.probes());
        assertEquals(all.drops(), twoCollectors.drops());
        for (int f = 0; f < all.flows().size(); f++) {
            Summary.Flow a = all.flows().get(f), b = twoCollectors.flows().get(f);
            assertEquals(List.of(a.sent(), a.received(), a.lost()), List.of(b.sent(), b.received(), b.lost()));
            assertEquals(a.latencyNs().p99(), b.latencyNs().p99());
            assertEquals(a.latencyNs().mean(), b.latencyNs().mean(), 1e-6);
        }
    }
}
