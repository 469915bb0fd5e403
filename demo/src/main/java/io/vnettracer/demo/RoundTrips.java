package io.vnettracer.demo;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
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
    /** (request time, half round trip) of each message, in the order replies were read. */
    private long[] sent = new long[4096];
    private long[] half = new long[4096];
    private int count;
    private long lastRequest = Long.MIN_VALUE;
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
            lastRequest = Math.max(lastRequest, e.timestamp());
        } else if (e.probeId() == replyProbe && e.srcPort() == port) {
            Long sent = sentAt.remove(e.l4Data());
            if (sent == null || e.timestamp() < sent) {
                unmatchedReplies++;
            } else {
                if (count == this.sent.length) {
                    this.sent = java.util.Arrays.copyOf(this.sent, count * 2);
                    this.half = java.util.Arrays.copyOf(this.half, count * 2);
                }
                this.sent[count] = sent;
                this.half[count] = (e.timestamp() - sent) / 2;
                count++;
            }
        }
    }

    /**
     * Percentiles of half the round trip, microseconds, over the messages sockperf counts: those of
     * its measured duration, which ends with the run (its start, after a warm-up whose dummy
     * messages may wait long under congestion, is the less certain end to count from).
     */
    Figures figures(long validNanos) {
        Histogram halfRoundTripNs = new Histogram(3);
        long to = lastRequest;
        long from = to - validNanos;
        for (int i = 0; i < count; i++) {
            if (sent[i] >= from && sent[i] <= to) {
                halfRoundTripNs.recordValue(half[i]);
            }
        }
        return new Figures(us(halfRoundTripNs.getValueAtPercentile(50)), us(halfRoundTripNs.getValueAtPercentile(90)),
                us(halfRoundTripNs.getValueAtPercentile(99)), us(halfRoundTripNs.getValueAtPercentile(99.9)),
                halfRoundTripNs.getMean() / 1000, halfRoundTripNs.getTotalCount(), count, unmatchedReplies);
    }

    private static double us(long ns) {
        return ns / 1000.0;
    }

    /** Half round trips in microseconds, how many (in sockperf's window), and replies no request could be found for. */
    record Figures(double p50Us, double p90Us, double p99Us, double p999Us, double meanUs, long count, long total,
                   long unmatched) {}
}
