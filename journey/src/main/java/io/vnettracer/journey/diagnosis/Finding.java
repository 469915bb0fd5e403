package io.vnettracer.journey.diagnosis;

/**
 * One finding: a segment of a flow's path, the part of the flow's latency (or, for drops, of its
 * packets) it holds, the likely cause and the kernel's evidence for it, and how much of the
 * segment that evidence explains.
 *
 * @param flow           the flow's name ({@code FlowKey#toString()})
 * @param segment        "FROM > TO"
 * @param share          of the flow's end-to-end latency (causes {@link #QUEUEING}, {@link #CPU_WAIT},
 *                       {@link #UNEXPLAINED}), or of the packets that entered the segment ({@link #DROPS}); 0..1
 * @param cause          one of the constants below
 * @param evidence       what the kernel showed, in a sentence
 * @param explainedShare of the segment's mean latency (or of its losses) the evidence accounts for, 0..1
 */
public record Finding(String flow, String segment, double share, String cause, String evidence, double explainedShare) {
    /** Packets waited in the qdisc of the egress device at the segment's start. */
    public static final String QUEUEING = "queueing";
    /** The receiving application's tasks waited for a CPU after being woken. */
    public static final String CPU_WAIT = "cpu_wait";
    /** Packets were dropped in the segment (with the kernel's reasons). */
    public static final String DROPS = "drops";
    /** None of the evidence collected accounts for the segment. */
    public static final String UNEXPLAINED = "unexplained";
}
