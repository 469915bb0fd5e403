package io.vnettracer.journey;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The raw figures behind a joiner's {@link Summary} that a summary cannot carry but a merge needs:
 * the delay distribution of every probe pair and the sightings of every probe, per flow. Joiners
 * that saw disjoint sets of packets (one per Kafka partition, say) are merged exactly from these:
 * counts, sums, extremes and histograms add up; percentiles are read off the merged histogram.
 * Copies, taken on the joiner's thread; safe to keep and to hand to another thread.
 *
 * @param pairs     one per ordered probe pair with at least one journey seen at both
 * @param sightings one per probe that saw at least one journey of the flow
 */
public record JoinerFigures(List<Pair> pairs, List<Sightings> sightings) {
    /**
     * Delays from {@code from} to a later {@code to} over a flow's journeys seen at both.
     *
     * @param jitterNs RFC 3550 jitter of these delays in send order (not mergeable exactly)
     */
    public record Pair(FlowKey flow, String from, String to, long count, long sum, long min, long max,
                       double jitterNs, Histogram delays) {}

    /** A flow's journeys seen at one probe: how many, their IP bytes, the first and last time. */
    public record Sightings(FlowKey flow, String probe, long journeys, long bytes, long firstSeenNs, long lastSeenNs) {}
}
