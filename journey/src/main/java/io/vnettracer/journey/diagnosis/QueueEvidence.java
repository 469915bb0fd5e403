package io.vnettracer.journey.diagnosis;

/**
 * The queue behind an egress probe: its qdisc, sampled while the trace ran (the kernel's qdisc
 * statistics: backlog, drops, overlimits, packets sent).
 *
 * @param probe       the egress probe the qdisc sits behind (TCX egress runs before the qdisc)
 * @param device      namespace/interface
 * @param qdisc       the root qdisc's kind (tbf, htb, fq_codel, noqueue, ...)
 * @param samples     how many times it was read
 * @param meanBacklogPackets mean of the queue length over the samples
 * @param maxBacklogPackets  largest queue length seen
 * @param drops       packets the qdisc dropped while the trace ran
 * @param overlimits  times the qdisc held packets back over its rate while the trace ran
 * @param sentPackets packets it sent while the trace ran
 * @param seconds     between the first and the last sample
 */
public record QueueEvidence(String probe, String device, String qdisc, int samples, double meanBacklogPackets,
                            long maxBacklogPackets, long drops, long overlimits, long sentPackets, double seconds) {
    /**
     * The mean time a packet spent in the queue by Little's law (mean queue length over departure
     * rate), in ns; 0 when nothing left the queue. For a FIFO every packet waits this long on
     * average, whichever flow it belongs to.
     */
    public double meanDelayNs() {
        double perSecond = seconds > 0 ? sentPackets / seconds : 0;
        return perSecond > 0 ? meanBacklogPackets / perSecond * 1e9 : 0;
    }
}
