package io.vnettracer.demo;

import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Finding;
import java.util.List;

/** The demo's tables, as printed at the end of the run. */
public final class DemoTables {
    private DemoTables() {}

    static String oneLine(CaseResult r) {
        Summary.Segment top = largestSegment(r);
        return String.format("half round trip p50/p99: sockperf %.1f/%.1f us, vNetTracer %.1f/%.1f us"
                        + " | per message, sockperf - vNetTracer: median %.1f us, p99 %.1f us (%d of %d messages)"
                        + " | request one way p99 %.1f us | largest segment %s (%.0f%%)",
                r.sockperf().p50Us(), r.sockperf().p99Us(), r.roundTrips().p50Us(), r.roundTrips().p99Us(),
                r.roundTrips().differenceP50Us(), r.roundTrips().differenceP99Us(), r.roundTrips().count(),
                r.sockperf().observations(),
                r.request().latencyNs().p99() / 1000.0,
                top == null ? "-" : top.from() + " > " + top.to(), top == null ? 0 : top.share() * 100);
    }

    /** The whole demo: per case, sockperf beside vNetTracer, and the decomposition. */
    public static String render(List<CaseResult> results) {
        StringBuilder sb = new StringBuilder();
        String study = null;
        for (CaseResult r : results) {
            if (!r.study().id().equals(study)) {
                study = r.study().id();
                sb.append('\n').append(r.study().title()).append('\n').append("  ").append(r.study().description()).append("\n\n");
                sb.append(String.format("  %-5s %-36s %10s %10s %10s %10s | %10s %10s %10s %10s%n", "CASE", "",
                        "sp p50", "sp p90", "sp p99", "sp p99.9", "vnt p50", "vnt p90", "vnt p99", "vnt p99.9"));
            }
            RoundTrips.Figures rt = r.roundTrips();
            sb.append(String.format("  %-5s %-36s %10.1f %10.1f %10.1f %10.1f | %10.1f %10.1f %10.1f %10.1f%n",
                    r.run() == 1 ? r.kase().id() : r.kase().id() + " #" + r.run(), r.kase().title(), r.sockperf().p50Us(), r.sockperf().p90Us(), r.sockperf().p99Us(),
                    r.sockperf().p999Us(), rt.p50Us(), rt.p90Us(), rt.p99Us(), rt.p999Us()));
            for (Summary.Segment s : segments(r)) {
                sb.append(String.format("        %-12s > %-12s mean %10.1f us  p99 %10.1f us  share %5.1f%%  lost %d%n",
                        s.from(), s.to(), s.latencyNs().mean() / 1000, s.latencyNs().p99() / 1000.0, s.share() * 100, s.lost()));
            }
            if (!r.diagnosis().isEmpty()) {
                Finding top = r.diagnosis().getFirst();
                sb.append(String.format("        diagnosis: %s, %s (explains %.0f%%): %s%n", top.segment(), top.cause().replace('_', ' '),
                        top.explainedShare() * 100, top.evidence()));
            }
        }
        sb.append("\n  sp = sockperf, vnt = vNetTracer: half the round trip of the same messages, sockperf's from user space"
                + " to user space, vNetTracer's from the client socket's send to its read of the reply; segments: the"
                + " request, one way; all in microseconds\n");
        return sb.toString();
    }

    static List<Summary.Segment> segments(CaseResult r) {
        String flow = r.request().key().toString();
        return r.summary().segments().stream().filter(s -> s.flow().equals(flow)).toList();
    }

    static Summary.Segment largestSegment(CaseResult r) {
        return segments(r).stream().max(java.util.Comparator.comparingDouble(Summary.Segment::share)).orElse(null);
    }
}
