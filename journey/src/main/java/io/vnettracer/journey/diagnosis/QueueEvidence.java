package io.vnettracer.journey.diagnosis;

/**
 * The queue behind an egress probe: its qdisc, sampled while the trace ran (the kernel's qdisc
 * statistics: backlog, drops, overlimits, packets sent).
 *
 * @param probe       the egress probe the qdisc sits behind (TCX egress runs before the qdisc)
 * @param device      namespace/interface
 * @param qdisc       the root qdisc's kind (tbf, htb, fq_codel, noqueue, ...)
 * @param samples     how many times it was read
 * @param meanBacklogPackets mean of the queue length over the samples (skbs: a GSO skb is one)
 * @param maxBacklogPackets  largest queue length seen
 * @param meanBacklogBytes   mean of the bytes queued over the samples
 * @param drops       packets the qdisc dropped while the trace ran
 * @param overlimits  times the qdisc held packets back over its rate while the trace ran
 * @param sentPackets packets it sent while the trace ran (segments: a GSO skb counts as many)
 * @param sentBytes   bytes it sent while the trace ran
 * @param seconds     between the first and the last sample
 */
public record QueueEvidence(String probe, String device, String qdisc, int samples, double meanBacklogPackets,
                            long maxBacklogPackets, double meanBacklogBytes, long drops, long overlimits,
                            long sentPackets, long sentBytes, double seconds) {
    /**
     * The mean time a byte spent in the queue by Little's law (mean bytes queued over the departure
     * rate in bytes), in ns; 0 when nothing left the queue. Bytes, not packets: the kernel counts the
     * queue in skbs and what left it in segments. It is a time average: for a FIFO it is what a
     * packet arriving at a random moment waits, whichever flow it belongs to; a flow that sends less
     * while the queue is long (a ping-pong waiting for its replies) sees less on average.
     */
    public double meanDelayNs() {
        double perSecond = seconds > 0 ? sentBytes / seconds : 0;
        return perSecond > 0 ? meanBacklogBytes / perSecond * 1e9 : 0;
    }
}
