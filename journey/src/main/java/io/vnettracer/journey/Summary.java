package io.vnettracer.journey;

import java.util.List;

/**
 * What a trace adds up to: the model behind the JSON summary contract (docs/JOURNEYS.md, "The JSON
 * contract"). Every figure in it is final; the extra members that the contract does not carry
 * ({@link Flow#key()}, {@link Flow#path()}, {@link #counters()}) are for views that want more.
 *
 * @param eventsLost ring-buffer losses over all probes
 * @param counters   what the joiner could not match or keep
 * @param nodes      the clock of every node, when the trace joins records of several kernels'
 *                   clocks (empty for one kernel: every probe shares its clock)
 * @param degraded   why the figures are less than exact, one line per cause ({@link Degradation});
 *                   empty when nothing degraded them
 * @param aggregation how the kernel aggregated, in aggregate mode; null for a summary of joined records
 */
public record Summary(int version, List<Probe> probes, List<Flow> flows, List<Segment> segments,
                      List<Drop> drops, long eventsLost, JoinCounters counters, List<Node> nodes,
                      List<String> degraded, OtherFlows otherFlows, Aggregation aggregation) {
    /**
     * 2: {@code unaccounted}, {@code in_flight}, {@code retransmits}, {@code sample_every},
     * {@code degraded}; 3: {@code diagnosis}, written when the trace was asked to diagnose;
     * 4: {@code other_flows} and {@code flow_table} (bounded memory).
     */
    public static final int VERSION = 4;

    /** A summary of joined records (record mode). */
    public Summary(int version, List<Probe> probes, List<Flow> flows, List<Segment> segments,
                   List<Drop> drops, long eventsLost, JoinCounters counters, List<Node> nodes,
                   List<String> degraded, OtherFlows otherFlows) {
        this(version, probes, flows, segments, drops, eventsLost, counters, nodes, degraded, otherFlows, null);
    }

    /**
     * Aggregate mode: the figures were added up in the kernel. Latency percentiles come from delay
     * buckets and are within {@code resolutionPercent} of the true value; {@code counters} are the
     * aggregation's own counts (full maps, duplicate sightings, packets of other flows), by name.
     */
    public record Aggregation(double resolutionPercent, java.util.Map<String, Long> counters) {}

    /** A summary in which every flow has its own row. */
    public Summary(int version, List<Probe> probes, List<Flow> flows, List<Segment> segments,
                   List<Drop> drops, long eventsLost, JoinCounters counters, List<Node> nodes,
                   List<String> degraded) {
        this(version, probes, flows, segments, drops, eventsLost, counters, nodes, degraded, OtherFlows.NONE);
    }

    /**
     * The flows the joiner did not keep apart ({@link JoinerConfig#maxFlows()}), added up: they have
     * no row of their own and no segments, but every packet of theirs is counted here, and their
     * drops are in {@link #drops()}.
     *
     * @param maxFlows the most flows kept apart; 0 when unknown (a summary made elsewhere)
     */
    public record OtherFlows(int maxFlows, long flows, long sent, long received, long lost, long unaccounted,
                             long inFlight, long retransmits) {
        public static final OtherFlows NONE = new OtherFlows(0, 0, 0, 0, 0, 0, 0, 0);

        /** These sums plus {@code o}'s (the larger cap). */
        public OtherFlows plus(OtherFlows o) {
            return new OtherFlows(Math.max(maxFlows, o.maxFlows), flows + o.flows, sent + o.sent, received + o.received,
                    lost + o.lost, unaccounted + o.unaccounted, inFlight + o.inFlight, retransmits + o.retransmits);
        }
    }

    /** A summary of one kernel's probes: no node clocks; degraded as its probes say. */
    public Summary(int version, List<Probe> probes, List<Flow> flows, List<Segment> segments,
                   List<Drop> drops, long eventsLost, JoinCounters counters) {
        this(version, probes, flows, segments, drops, eventsLost, counters, List.of(), Degradation.of(probes));
    }

    /**
     * A node's clock as the trace's timestamps were corrected by: {@code offsetNs} is the node's
     * clock minus the reference's, known within ± {@code uncertaintyNs}.
     *
     * @param uncertaintyNs {@link #UNKNOWN} when nothing estimated this node's clock
     * @param source        how it was estimated: {@code reference}, {@code rpc}, {@code traffic},
     *                      {@code rpc+traffic} or {@code none}
     */
    public record Node(String name, long offsetNs, long uncertaintyNs, String source) {
        public static final long UNKNOWN = -1;

        public boolean known() {
            return uncertaintyNs != UNKNOWN;
        }
    }

    /**
     * @param events      events the joiner received from the probe
     * @param lost        events lost in its ring buffer
     * @param sampleEvery the coarsest sampling it ran with: it recorded 1 packet in this many (1: all)
     */
    public record Probe(String name, String spec, long events, long lost, int sampleEvery) {
        /** A probe that recorded every packet. */
        public Probe(String name, String spec, long events, long lost) {
            this(name, spec, events, lost, 1);
        }
    }

    /**
     * One flow. {@code sent}: identities seen at the path's first probe; {@code received}: at its
     * last (a TCP segment without payload: at the last probe before a socket). Of those sent and
     * never received, {@code lost} vanished in the network, {@code unaccounted} went unseen where a
     * probe lost records or sampled, {@code inFlight} were still travelling when the trace ended
     * (docs/JOURNEYS.md, "Three kinds of missing"). {@code lossRate} = lost / sent.
     *
     * @param retransmits   journeys of TCP segments the sender had already sent
     * @param sentBytes     IP bytes seen at the path's first probe (one sighting per journey)
     * @param receivedBytes IP bytes seen at its last
     * @param throughputBps bits received at the last probe per second between its first and last sighting
     * @param jitterNs      RFC 3550 interarrival jitter of the first-to-last delay, in send order
     * @param path          probe names, sender first; empty while none of the flow's journeys is finalized
     * @param open          journeys of the flow not finalized yet (packets still followed, not yet received,
     *                      lost or anything else: none of the figures above counts them); 0 in a summary
     *                      made after {@link JourneyJoiner#flush()}. A live summary lists a flow as soon as
     *                      it has an open journey, before any is finalized (docs/JOURNEYS.md, "Live summaries")
     */
    public record Flow(String proto, String src, int sport, String dst, int dport,
                       long sent, long received, long lost, long unaccounted, long inFlight, long retransmits,
                       long sentBytes, long receivedBytes, double lossRate, double throughputBps,
                       double jitterNs, Latency latencyNs, FlowKey key, List<String> path, long open) {
        /** A flow with no journey open: its figures are final. */
        public Flow(String proto, String src, int sport, String dst, int dport,
                    long sent, long received, long lost, long unaccounted, long inFlight, long retransmits,
                    long sentBytes, long receivedBytes, double lossRate, double throughputBps,
                    double jitterNs, Latency latencyNs, FlowKey key, List<String> path) {
            this(proto, src, sport, dst, dport, sent, received, lost, unaccounted, inFlight, retransmits, sentBytes,
                    receivedBytes, lossRate, throughputBps, jitterNs, latencyNs, key, path, 0);
        }

        /** The row of a flow none of whose journeys is finalized yet: all figures 0, no path. */
        static Flow onlyOpen(FlowKey key, long open) {
            return new Flow(key.protocolName(), key.srcAddress(), key.srcPort(), key.dstAddress(), key.dstPort(),
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Latency(0, 0, 0, 0, 0, 0), key, List.of(), open);
        }

        /** This row with {@code open} journeys still open. */
        Flow withOpen(long open) {
            return new Flow(proto, src, sport, dst, dport, sent, received, lost, unaccounted, inFlight, retransmits,
                    sentBytes, receivedBytes, lossRate, throughputBps, jitterNs, latencyNs, key, path, open);
        }
    }

    /**
     * First-to-last probe delays of the journeys seen at both, ns; all 0 when there were none.
     * {@code p999} is not in the JSON contract; views (the demo's report) use it.
     */
    public record Latency(long min, double mean, long p50, long p90, long p99, long max, long p999) {
        public Latency(long min, double mean, long p50, long p90, long p99, long max) {
            this(min, mean, p50, p90, p99, max, p99);
        }
    }

    /**
     * A pair of consecutive probes on a flow's path. {@code packets}: identities seen at both; of
     * those seen at {@code from} and never at {@code to}, {@code lost}, {@code unaccounted} and
     * {@code inFlight} as for a {@link Flow} (a TCP segment without payload is never expected at a
     * socket probe, so it is none of them there); {@code share}: this segment's part
     * (0..1) of the end-to-end mean over the journeys that crossed the whole path.
     *
     * @param flow               the flow's name, {@link FlowKey#toString()}
     * @param clockUncertaintyNs for a segment between probes of two nodes with their own clocks,
     *                           the sum of the two clocks' uncertainties: its delays are known
     *                           within ± this much; {@link #SAME_CLOCK} when both probes share a
     *                           clock, {@link #UNALIGNED} when a node's clock was never estimated
     */
    public record Segment(String flow, String from, String to, long packets, long lost, long unaccounted, long inFlight,
                          SegmentLatency latencyNs, double share, long clockUncertaintyNs) {
        public static final long SAME_CLOCK = -1;
        public static final long UNALIGNED = -2;

        /** A segment whose two probes share one clock. */
        public Segment(String flow, String from, String to, long packets, long lost, long unaccounted, long inFlight,
                       SegmentLatency latencyNs, double share) {
            this(flow, from, to, packets, lost, unaccounted, inFlight, latencyNs, share, SAME_CLOCK);
        }

        /** True when the segment joins probes of two clocks (its delays carry a clock uncertainty). */
        public boolean crossesClocks() {
            return clockUncertaintyNs != SAME_CLOCK;
        }
    }

    /** Delays from {@code from} to {@code to}, ns. */
    public record SegmentLatency(double mean, long p50, long p99) {}

    /**
     * Journeys that ended at one place for one reason.
     *
     * @param probeOrPoint "A > B" for the segment after the last probe that saw the packet, or the
     *                     drop probe's name for a drop of a packet no path probe saw or after the
     *                     last probe saw it
     * @param reason       the kernel's drop reason name, or {@link #NO_DROP_EVENT}
     */
    public record Drop(String probeOrPoint, String reason, long count) {
        /** The reason of journeys lost without any DROP event for their identity. */
        public static final String NO_DROP_EVENT = "unknown: no drop event seen";
    }
}
