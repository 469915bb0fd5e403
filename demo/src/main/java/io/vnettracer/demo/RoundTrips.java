package io.vnettracer.demo;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.sinks.report.MessageLog;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * sockperf's round trips as the tracer sees them: a sockperf message carries its sequence number in
 * its first 8 bytes, the same in the request and in the reply, so the request's event at the
 * client's socket and the reply's event when the client reads it give the round trip socket to
 * socket. Half of it is the figure comparable to sockperf's own latency (half the round trip, user
 * space to user space). Fed on the session's drain thread only.
 */
final class RoundTrips {
    private final int requestProbe;
    private final int replyProbe;
    private final int port;
    private final Map<Long, Long> sentAt = new HashMap<>();
    /** (sequence number, half round trip) of each message, in the order replies were read. */
    private long[] sequence = new long[4096];
    private long[] half = new long[4096];
    private int count;
    private long unmatchedReplies;

    RoundTrips(int requestProbe, int replyProbe, int port) {
        this.requestProbe = requestProbe;
        this.replyProbe = replyProbe;
        this.port = port;
    }

    void onEvent(EventView e) {
        if (e.kind() != EventKind.PACKET) {
            return;
        }
        if (e.probeId() == requestProbe && e.dstPort() == port) {
            sentAt.putIfAbsent(e.l4Data(), e.timestamp());
        } else if (e.probeId() == replyProbe && e.srcPort() == port) {
            Long sent = sentAt.remove(e.l4Data());
            if (sent == null || e.timestamp() < sent) {
                unmatchedReplies++;
            } else {
                if (count == sequence.length) {
                    sequence = java.util.Arrays.copyOf(sequence, count * 2);
                    half = java.util.Arrays.copyOf(half, count * 2);
                }
                sequence[count] = e.l4Data();
                this.half[count] = (e.timestamp() - sent) / 2;
                count++;
            }
        }
    }

    /**
     * The tracer's half round trips of exactly the messages sockperf counted, found by sliding
     * sockperf's per-message series over the traced one (in sequence order) to where the two agree
     * best; then percentiles over those messages and the per-message difference (sockperf minus
     * tracer), microseconds; and the tracer's figure of each of sockperf's messages.
     */
    Figures align(MessageLog log) {
        long[] bySequence = halfRoundTripsInSequenceOrder();
        int n = log.size();
        int best = -1;
        double bestCost = Double.MAX_VALUE;
        int probe = Math.min(n, 300);
        for (int shift = 0; shift + n <= bySequence.length; shift++) {
            double cost = 0;
            for (int i = 0; i < probe && cost < bestCost; i++) {
                cost += Math.abs(log.sockperfUs()[i] - bySequence[shift + i] / 1000.0);
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = shift;
            }
        }
        Histogram halfRoundTripNs = new Histogram(3);
        Histogram differenceNs = new Histogram(3);
        long negative = 0;
        double[] perMessageUs = best >= 0 ? new double[n] : null;
        if (best >= 0) {
            for (int i = 0; i < n; i++) {
                long traced = bySequence[best + i];
                perMessageUs[i] = traced / 1000.0;
                halfRoundTripNs.recordValue(Math.max(0, traced));
                long difference = Math.round(log.sockperfUs()[i] * 1000) - traced;
                if (difference < 0) {
                    negative++;
                }
                differenceNs.recordValue(Math.abs(difference));
            }
        }
        return new Figures(us(halfRoundTripNs.getValueAtPercentile(50)), us(halfRoundTripNs.getValueAtPercentile(90)),
                us(halfRoundTripNs.getValueAtPercentile(99)), us(halfRoundTripNs.getValueAtPercentile(99.9)),
                halfRoundTripNs.getMean() / 1000, halfRoundTripNs.getTotalCount(), count, unmatchedReplies,
                us(differenceNs.getValueAtPercentile(50)), us(differenceNs.getValueAtPercentile(99)), negative,
                perMessageUs);
    }

    /** Half round trips ordered by the messages' sequence numbers (sockperf counts them up from 1). */
    private long[] halfRoundTripsInSequenceOrder() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> sequence[i]));
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = half[order[i]];
        }
        return out;
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }

    /**
     * Half round trips in microseconds over sockperf's messages, how many, how many traced in all,
     * replies no request could be found for, and the per-message difference sockperf minus tracer
     * (median and p99 of its size, and how many messages the tracer saw as slower than sockperf); and
     * the tracer's half round trip of each of sockperf's messages in sockperf's order, null when the
     * tracer saw too few messages to match them.
     */
    record Figures(double p50Us, double p90Us, double p99Us, double p999Us, double meanUs, long count, long total,
                   long unmatched, double differenceP50Us, double differenceP99Us, long tracerSlower,
                   double[] perMessageUs) {}
}
