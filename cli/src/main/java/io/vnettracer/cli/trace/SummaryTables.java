package io.vnettracer.cli.trace;

import io.vnettracer.journey.JoinCounters;
import io.vnettracer.journey.Summary;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The trace's tables as text: flows, the segments of the busiest flows with their share of the
 * end-to-end latency, drops, probes with their ring losses, what could not be decoded or
 * joined, and last, in one line, why the figures are degraded (ring losses, sampling). The live view and the final report print the same tables; {@link #line} is the one-line
 * form for output that is not a terminal. A live summary's flows also have packets still open
 * (their journeys not finalized yet): then an OPEN column says how many.
 */
public final class SummaryTables {
    /** Flows whose segments are shown. */
    static final int BUSIEST_FLOWS = 3;

    private SummaryTables() {}

    /**
     * @param summary  the joiner's latest summary, or null before the first one
     * @param maxFlows flows listed, busiest first; the rest are counted
     */
    public static String render(Summary summary, List<ProbeRow> probes, long undecodable, Duration elapsed, int maxFlows) {
        return render("vnettracer trace", summary, probes, undecodable, elapsed, maxFlows);
    }

    /** As above, headed by {@code command} (the command whose tables these are). */
    public static String render(String command, Summary summary, List<ProbeRow> probes, long undecodable, Duration elapsed,
                                int maxFlows) {
        StringBuilder out = new StringBuilder();
        out.append(command).append(": ").append(elapsed.toSeconds()).append(" s");
        long open = summary == null ? 0 : summary.flows().stream().mapToLong(Summary.Flow::open).sum();
        if (summary != null) {
            out.append(", ").append(summary.counters().journeys()).append(" journeys finished, ");
            if (open > 0) {
                out.append(open).append(" open, ");
            }
            out.append(summary.flows().size()).append(" flows");
        }
        out.append('\n');

        List<Summary.Flow> flows = summary == null ? List.of()
                : summary.flows().stream().sorted(Comparator.comparingLong((Summary.Flow f) -> f.sent() + f.open()).reversed()).toList();
        out.append("\nFlows\n");
        if (flows.isEmpty()) {
            out.append("  (none yet)\n");
        } else {
            // OPEN: packets still followed (their journey's timeout has not passed); none once the trace has ended.
            String[] headers = {"PROTO", "SRC", "DST", ">SENT", ">RECEIVED", ">LOST", ">UNACCOUNTED", ">IN FLIGHT",
                    ">RETRANS", ">LOSS", ">THROUGHPUT", ">P50", ">P99", ">JITTER", ">OPEN"};
            TextTable t = new TextTable(open > 0 ? headers : java.util.Arrays.copyOf(headers, headers.length - 1));
            for (Summary.Flow f : flows.subList(0, Math.min(maxFlows, flows.size()))) {
                t.row(f.proto(), Units.endpoint(f.src(), f.sport()), Units.endpoint(f.dst(), f.dport()), f.sent(),
                        f.received(), f.lost(), f.unaccounted(), f.inFlight(), f.retransmits(),
                        Units.percent(f.lossRate()), Units.bitsPerSecond(f.throughputBps()),
                        Units.nanos(f.latencyNs().p50()), Units.nanos(f.latencyNs().p99()), Units.nanos(f.jitterNs()), f.open());
            }
            t.appendTo(out, "  ");
            if (flows.size() > maxFlows) {
                out.append("  ... and ").append(flows.size() - maxFlows).append(" more flows\n");
            }
            otherFlows(out, summary);
            segments(out, summary, flows);
        }
        clocks(out, summary);
        drops(out, summary);

        out.append("\nProbes\n");
        TextTable p = new TextTable("NAME", "SPEC", ">EVENTS", ">RING LOST");
        probes.forEach(r -> p.row(r.name(), r.spec(), r.events(), r.ringLost()));
        p.appendTo(out, "  ");
        out.append("  undecodable events: ").append(undecodable).append('\n');
        if (summary != null) {
            String unjoined = unjoined(summary.counters());
            if (!unjoined.isEmpty()) {
                out.append("  not joined: ").append(unjoined).append('\n');
            }
            if (!summary.degraded().isEmpty()) {
                out.append("\nDegraded (missing sightings there are unaccounted, not lost): ")
                        .append(String.join("; ", summary.degraded())).append('\n');
            }
            if (summary.aggregation() != null) {
                out.append("\nAggregated in the kernel (--mode aggregate): latency percentiles from delay buckets, within ")
                        .append(summary.aggregation().resolutionPercent()).append(" %; counts, means and extremes exact\n");
            }
        }
        return out.toString();
    }

    /** The flows past the most the joiner keeps apart, in one line, and what its bounds did. */
    private static void otherFlows(StringBuilder out, Summary summary) {
        Summary.OtherFlows o = summary.otherFlows();
        JoinCounters c = summary.counters();
        if (o.flows() > 0 || o.sent() > 0) {
            // Aggregate mode adds other flows' packets up without counting the flows.
            out.append("  other flows (").append(o.flows() > 0 ? o.flows() + ", " : "").append("past --max-flows ").append(o.maxFlows())
                    .append("): sent ").append(o.sent()).append(", received ").append(o.received())
                    .append(", lost ").append(o.lost()).append(", unaccounted ").append(o.unaccounted())
                    .append(", in flight ").append(o.inFlight()).append(", retransmits ").append(o.retransmits()).append('\n');
        }
        if (c.flowsEvictedIdle() > 0 || c.flowsFolded() > 0) {
            out.append("  flow table: ").append(c.flowsEvictedIdle()).append(" evicted idle, ")
                    .append(c.flowsFolded()).append(" folded into other flows\n");
        }
    }

    private static void segments(StringBuilder out, Summary summary, List<Summary.Flow> flows) {
        for (Summary.Flow f : flows.subList(0, Math.min(BUSIEST_FLOWS, flows.size()))) {
            String name = f.key().toString();
            List<Summary.Segment> segs = summary.segments().stream().filter(s -> s.flow().equals(name)).toList();
            if (segs.isEmpty()) {
                continue;
            }
            out.append("\nSegments of ").append(name).append('\n');
            TextTable t = new TextTable("FROM", "TO", ">PACKETS", ">LOST", ">UNACCOUNTED", ">IN FLIGHT", ">MEAN", ">P50",
                    ">P99", ">SHARE");
            for (Summary.Segment s : segs) {
                t.row(s.from(), s.to(), s.packets(), s.lost(), s.unaccounted(), s.inFlight(), Units.nanos(s.latencyNs().mean()) + clockTerm(s),
                        Units.nanos(s.latencyNs().p50()), Units.nanos(s.latencyNs().p99()), Units.percent(s.share()));
            }
            t.appendTo(out, "  ");
        }
    }

    /** A segment between two clocks: its delays are known within ± the clocks' uncertainty. */
    private static String clockTerm(Summary.Segment s) {
        if (!s.crossesClocks()) {
            return "";
        }
        return s.clockUncertaintyNs() == Summary.Segment.UNALIGNED ? " ±?" : " ±" + Units.signedNanos(s.clockUncertaintyNs());
    }

    /** The nodes of a trace across kernels: each clock's offset to the reference, how sure, and from what. */
    private static void clocks(StringBuilder out, Summary summary) {
        if (summary == null || summary.nodes().isEmpty()) {
            return;
        }
        out.append("\nClocks (offset to the reference; segments between nodes carry the sum of their ±)\n");
        TextTable t = new TextTable("NODE", ">OFFSET", ">±", "SOURCE");
        for (Summary.Node n : summary.nodes()) {
            t.row(n.name(), n.known() ? Units.signedNanos(n.offsetNs()) : "?",
                    n.known() ? Units.signedNanos(n.uncertaintyNs()) : "?", n.source());
        }
        t.appendTo(out, "  ");
    }

    private static void drops(StringBuilder out, Summary summary) {
        if (summary == null || summary.drops().isEmpty()) {
            return;
        }
        out.append("\nDrops\n");
        TextTable t = new TextTable("WHERE", "REASON", ">COUNT");
        summary.drops().forEach(d -> t.row(d.probeOrPoint(), d.reason(), d.count()));
        t.appendTo(out, "  ");
    }

    /** The joiner's counters of what it refused or could not keep, those that are not zero. */
    private static String unjoined(JoinCounters c) {
        StringBuilder s = new StringBuilder();
        append(s, "late", c.lateEvents());
        append(s, "unknown probe", c.unknownProbe());
        append(s, "unknown kind", c.unknownKind());
        append(s, "unknown version", c.unknownVersion());
        append(s, "hops overflow", c.hopsOverflow());
        append(s, "evicted early", c.evictedEarly());
        return s.toString();
    }

    private static void append(StringBuilder s, String what, long n) {
        if (n != 0) {
            s.append(s.isEmpty() ? "" : ", ").append(what).append(' ').append(n);
        }
    }

    /** One line for a log: events per probe, ring losses, the flows' totals. */
    public static String line(Summary summary, List<ProbeRow> probes, long undecodable, Duration elapsed) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%ds] events", elapsed.toSeconds()));
        long lost = 0;
        for (ProbeRow r : probes) {
            s.append(' ').append(r.name()).append('=').append(r.events());
            lost += r.ringLost();
        }
        s.append(" | ring lost ").append(lost).append(" | undecodable ").append(undecodable);
        if (summary != null) {
            Summary.OtherFlows o = summary.otherFlows();
            long sent = o.sent();
            long received = o.received();
            long flowLost = o.lost();
            long unaccounted = o.unaccounted();
            long inFlight = o.inFlight();
            long open = 0;
            for (Summary.Flow f : summary.flows()) {
                sent += f.sent();
                received += f.received();
                flowLost += f.lost();
                unaccounted += f.unaccounted();
                inFlight += f.inFlight();
                open += f.open();
            }
            s.append(" | flows ").append(summary.flows().size() + o.flows()).append(" sent ").append(sent)
                    .append(" received ").append(received).append(" lost ").append(flowLost)
                    .append(" unaccounted ").append(unaccounted).append(" in flight ").append(inFlight);
            if (open > 0) {
                s.append(" open ").append(open);
            }
        }
        return s.toString();
    }
}
