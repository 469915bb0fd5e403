package io.vnettracer.journey.diagnosis;

import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Names, per flow, the segment that holds most of its latency and the likely cause, and every
 * segment that lost packets, with the kernel's evidence (docs/DIAGNOSE.md):
 *
 * <ul>
 *   <li>{@link Finding#QUEUEING}: the segment starts at an egress probe and the qdisc behind it held
 *       packets; explained share = the queue's mean wait (Little's law) over the segment's mean;
 *   <li>{@link Finding#CPU_WAIT}: the segment ends at a socket receive probe and the namespace's
 *       tasks waited for the CPU after their wake-ups; explained share = the mean wait over the
 *       segment's mean, with the tasks that held the CPU;
 *   <li>{@link Finding#DROPS}: the segment lost packets; the drops the kernel reported there, by reason;
 *   <li>{@link Finding#UNEXPLAINED}: otherwise, saying what was looked at.
 * </ul>
 *
 * Findings are ranked by share, largest first.
 */
public final class Diagnoser {
    /** A flow needs this many journeys across its whole path for its latency shares to mean anything. */
    static final int MIN_RECEIVED = 10;

    private Diagnoser() {}

    public static List<Finding> diagnose(Summary summary, Evidence evidence) {
        List<Finding> findings = new ArrayList<>();
        for (Summary.Flow flow : summary.flows()) {
            String name = flow.key().toString();
            List<Summary.Segment> segments = summary.segments().stream().filter(s -> s.flow().equals(name)).toList();
            if (segments.isEmpty()) {
                continue;
            }
            if (flow.received() >= MIN_RECEIVED) {
                segments.stream().max(Comparator.comparingDouble(Summary.Segment::share))
                        .filter(s -> s.share() > 0)
                        .ifPresent(s -> findings.add(latency(name, s, evidence)));
            }
            for (Summary.Segment s : segments) {
                if (s.lost() > 0) {
                    findings.add(drops(name, s, summary.drops()));
                }
            }
        }
        findings.sort(Comparator.comparingDouble(Finding::share).reversed());
        return findings;
    }

    private static Finding latency(String flow, Summary.Segment s, Evidence evidence) {
        String segment = s.from() + " > " + s.to();
        double mean = s.latencyNs().mean();
        List<String> lookedAt = new ArrayList<>();
        Finding best = null;
        var queue = evidence.queueBehind(s.from());
        if (queue.isPresent()) {
            QueueEvidence q = queue.get();
            double explained = explained(q.meanDelayNs(), mean);
            lookedAt.add(queueText(q, mean));
            if (q.meanBacklogBytes() > 0 && explained > 0) {
                best = new Finding(flow, segment, s.share(), Finding.QUEUEING, queueText(q, mean), explained);
            }
        }
        var cpu = evidence.cpuWaitBefore(s.to());
        if (cpu.isPresent()) {
            CpuWaitEvidence c = cpu.get();
            double explained = explained(c.meanWaitNs(), mean);
            lookedAt.add(cpuText(c, mean));
            if (c.waits() > 0 && explained > 0 && (best == null || explained > best.explainedShare())) {
                best = new Finding(flow, segment, s.share(), Finding.CPU_WAIT, cpuText(c, mean), explained);
            }
        }
        if (best != null) {
            return best;
        }
        String looked = lookedAt.isEmpty()
                ? "no queue behind " + s.from() + " (not an egress device probe) and no run queue before " + s.to()
                        + " (not a socket receive probe) to look at"
                : "looked at: " + String.join("; ", lookedAt);
        return new Finding(flow, segment, s.share(), Finding.UNEXPLAINED, looked, 0);
    }

    private static Finding drops(String flow, Summary.Segment s, List<Summary.Drop> drops) {
        String segment = s.from() + " > " + s.to();
        long entered = s.packets() + s.lost() + s.unaccounted() + s.inFlight();
        List<String> reasons = new ArrayList<>();
        long withReason = 0;
        for (Summary.Drop d : drops) {
            if (d.probeOrPoint().equals(segment)) {
                reasons.add(d.reason() + " × " + d.count());
                if (!d.reason().startsWith("unknown")) {
                    withReason += d.count();
                }
            }
        }
        String text = s.lost() + " of " + entered + " packets lost between " + s.from() + " and " + s.to()
                + (reasons.isEmpty() ? "; no drop event seen (add a drops: probe)" : "; the kernel's reasons: "
                        + String.join(", ", reasons) + " (over every flow through this segment)");
        return new Finding(flow, segment, entered == 0 ? 0 : (double) s.lost() / entered, Finding.DROPS, text,
                s.lost() == 0 ? 0 : Math.min(1, (double) withReason / s.lost()));
    }

    private static double explained(double causeNs, double segmentMeanNs) {
        return segmentMeanNs <= 0 ? 0 : Math.min(1, causeNs / segmentMeanNs);
    }

    static String queueText(QueueEvidence q, double segmentMeanNs) {
        return String.format(Locale.ROOT, "%s qdisc on %s: backlog mean %.1f packets, %.0f bytes (max %d packets), %d dropped,"
                        + " %d overlimits, %d packets sent in %.1f s; by Little's law a byte waited %s in it on average,"
                        + " the segment's mean is %s",
                q.qdisc(), q.device(), q.meanBacklogPackets(), q.meanBacklogBytes(), q.maxBacklogPackets(), q.drops(),
                q.overlimits(), q.sentPackets(), q.seconds(), time(q.meanDelayNs()), time(segmentMeanNs));
    }

    static String cpuText(CpuWaitEvidence c, double segmentMeanNs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "tasks of %s waited for a CPU %d times after their wake-ups, %s on average (longest %s), the segment's mean is %s",
                c.namespace(), c.waits(), time(c.meanWaitNs()), time(c.maxNs()), time(segmentMeanNs)));
        List<String> held = new ArrayList<>();
        for (CpuWaitEvidence.Holder h : c.holders().subList(0, Math.min(3, c.holders().size()))) {
            double part = c.totalNs() == 0 ? 0 : 100.0 * h.totalNs() / c.totalNs();
            held.add(h.idle() ? String.format(Locale.ROOT, "idle (%s, waking up) %.0f%%", h.comm(), part)
                    : String.format(Locale.ROOT, "%s (pid %d) %.0f%%", h.comm(), h.tgid(), part));
        }
        if (!held.isEmpty()) {
            sb.append("; the CPU was held by ").append(String.join(", ", held)).append(" of that time");
        }
        return sb.toString();
    }

    static String time(double ns) {
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
    }
}
